namespace Edge.Protocol.Ota;

/// <summary>Transfer progress of a job.</summary>
public sealed record OtaProgress
{
    /// <summary>Package bytes held on the device (verified chunks), 0 to <see cref="TotalBytes"/>.</summary>
    public long BytesReceived { get; init; }

    /// <summary>The package size in bytes, from the job.</summary>
    public long TotalBytes { get; init; }

    /// <summary>0-100, rounded to one decimal.</summary>
    public double Percent { get; init; }

    /// <summary>Bytes received over the network for this job, duplicates and discarded chunks included.</summary>
    public long BytesTransferred { get; init; }

    /// <summary>Chunks that arrived again after they were already held, and were ignored.</summary>
    public long DuplicateChunks { get; init; }

    /// <summary>Chunks refused because their SHA-256, offset or length was wrong; they are requested again.</summary>
    public long RejectedChunks { get; init; }
}
