namespace Edge.Agent.Capture;

/// <summary>One frozen snapshot file of the ring: what <c>capture-snapshot</c> answers and the chunk server serves.</summary>
/// <param name="Id">Names the ring's content: <c>snap-{last sequence}-{samples}</c>, so the same ring gives the same id.</param>
/// <param name="Path">The file in <c>snapshots/</c>.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">SHA-256 of the whole file, 64 lowercase hex digits.</param>
/// <param name="Samples">Samples in it.</param>
/// <param name="Models">Samples per <c>name@version</c>.</param>
internal sealed record CaptureSnapshot(string Id, string Path, long Size, string Sha256, int Samples, IReadOnlyDictionary<string, int> Models);
