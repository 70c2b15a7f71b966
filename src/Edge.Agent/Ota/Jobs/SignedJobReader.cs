using System.Text.Json;
using Edge.Packaging;

namespace Edge.Agent.Ota.Jobs;

/// <summary>
/// Opens the <c>edge.ota-signed-job/1</c> envelope a job topic carries (docs/protocol.md, "Signed jobs") and checks its
/// detached signature against the operator keys in <c>Ota:TrustedJobKeyFiles</c>. Only verified bytes are returned for
/// parsing, so nothing in a job (the downgrade permission above all) is honoured unless an operator key signed it.
/// </summary>
internal static class SignedJobReader
{
    /// <summary>
    /// Returns true with the signed job document's bytes in <paramref name="document"/>; otherwise false with one
    /// sentence in <paramref name="refusal"/>, and in <paramref name="document"/> the bytes most likely to hold the job's
    /// id (the unverified inner document, or the payload), only so the refusal can be reported under that id.
    /// </summary>
    public static bool TryOpen(byte[] payload, PackageTrust trust, out byte[] document, out string refusal)
    {
        document = payload;
        OtaSignedJob? envelope;
        try
        {
            using var parsed = JsonDocument.Parse(payload);
            var schema = parsed.RootElement.ValueKind == JsonValueKind.Object && parsed.RootElement.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String
                ? s.GetString()
                : null;
            if (schema == OtaSchemas.Job)
            {
                refusal = $"unsigned job document refused: jobs must arrive as {OtaSchemas.SignedJob} envelopes signed by an operator key in Ota:TrustedJobKeyFiles";
                return false;
            }

            if (schema != OtaSchemas.SignedJob)
            {
                refusal = $"job payload refused: schema is '{schema ?? "(none)"}', expected '{OtaSchemas.SignedJob}' (a signed job envelope)";
                return false;
            }

            envelope = parsed.RootElement.Deserialize(OtaJsonContext.Default.OtaSignedJob);
        }
        catch (JsonException e)
        {
            refusal = $"malformed job JSON: {e.Message}";
            return false;
        }

        var signed = new byte[envelope?.Job.Length ?? 0];
        if (envelope is null || !Convert.TryFromBase64String(envelope.Job, signed, out var length) || length == 0)
        {
            refusal = $"signed job envelope refused: 'job' must be the base64 of the signed {OtaSchemas.Job} document; it is missing or not base64";
            return false;
        }

        document = signed[..length];
        if (envelope.Signature.ValueKind != JsonValueKind.Object)
        {
            refusal = "signed job envelope refused: 'signature' is missing; expected {\"signatures\":[{\"keyId\",\"algorithm\",\"value\"}]}";
            return false;
        }

        try
        {
            DetachedSignatures.Verify(document, System.Text.Encoding.UTF8.GetBytes(envelope.Signature.GetRawText()), trust, "job document");
            refusal = string.Empty;
            return true;
        }
        catch (PackageVerificationException e)
        {
            refusal = $"job signature refused ({e.Kind}): {e.Message}";
            return false;
        }
    }
}
