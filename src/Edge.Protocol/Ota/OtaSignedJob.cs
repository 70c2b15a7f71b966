using System.Text.Json;

namespace Edge.Protocol.Ota;

/// <summary>
/// What a job topic carries, schema <c>edge.ota-signed-job/1</c> (docs/protocol.md, "Signed jobs"): the exact UTF-8
/// bytes of an <c>edge.ota-job/1</c> document, base64-encoded so they reach the device byte for byte, and a detached
/// signature over those bytes by an operator key the device trusts (<c>Ota:TrustedJobKeyFiles</c>). Nothing is
/// canonicalised: the device verifies the decoded bytes and parses only bytes it has verified.
/// </summary>
public sealed record OtaSignedJob
{
    /// <summary>Always <see cref="OtaSchemas.SignedJob"/>.</summary>
    public string Schema { get; init; } = OtaSchemas.SignedJob;

    /// <summary>Base64 of the signed <c>edge.ota-job/1</c> document's UTF-8 JSON bytes.</summary>
    public string Job { get; init; } = "";

    /// <summary>The signature document over the decoded <see cref="Job"/> bytes, shaped like a package's <c>manifest.sig</c>.</summary>
    public JsonElement Signature { get; init; }
}
