using System.Security.Cryptography;
using System.Text.Json;
using Edge.Packaging;
using Edge.Sdk.IO;

namespace Edge.Fleet.Publishing;

/// <summary>
/// Signs job documents with the operator key (ECDSA P-256, PKCS#8 or SEC1 PEM, made with <c>edge-optimize keys new</c>)
/// and wraps them in the <c>edge.ota-signed-job/1</c> envelope devices require (docs/protocol.md, "Signed jobs").
/// Owns the key: dispose it.
/// </summary>
internal sealed class JobSigner : IDisposable
{
    private readonly ECDsa _key;

    private JobSigner(ECDsa key)
    {
        _key = key;
    }

    /// <summary>Reads the operator's private key.</summary>
    /// <exception cref="ArgumentException">The file is missing or is not an EC P-256 private key in PEM form.</exception>
    public static async Task<JobSigner> FromPemFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"--job-key: '{path}' {PathProblem.ForFile(path)}; expected the operator's EC P-256 private key (PEM), e.g. from 'dotnet edge-optimize keys new'.");
        }

        return FromPem(await File.ReadAllTextAsync(path, cancellationToken), $"--job-key '{path}'");
    }

    /// <exception cref="ArgumentException"><paramref name="pem"/> is not an EC P-256 private key in PEM form.</exception>
    public static JobSigner FromPem(string pem, string what)
    {
        var key = ECDsa.Create();
        try
        {
            if (!pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                throw new ArgumentException($"{what} holds no private key; job documents are signed with the operator's private key (-----BEGIN PRIVATE KEY-----).");
            }

            key.ImportFromPem(pem);
            if (key.ExportParameters(includePrivateParameters: false).Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new ArgumentException($"{what} is not on NIST P-256; job documents are signed with ECDSA P-256.");
            }

            return new JobSigner(key);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new ArgumentException($"{what} is not an EC P-256 private key in PEM form: {e.Message}", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Serialises <paramref name="job"/> once, signs those bytes and returns the envelope's UTF-8 JSON.</summary>
    public byte[] Sign(OtaJobDocument job) => SignDocument(JsonSerializer.SerializeToUtf8Bytes(job, OtaJsonContext.Default.OtaJobDocument));

    /// <summary>Signs <paramref name="document"/> exactly as given (no parsing) and returns the envelope's UTF-8 JSON.</summary>
    public byte[] SignDocument(byte[] document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var signature = JsonDocument.Parse(DetachedSignatures.Sign(document, _key));
        var envelope = new OtaSignedJob { Job = Convert.ToBase64String(document), Signature = signature.RootElement.Clone() };
        return JsonSerializer.SerializeToUtf8Bytes(envelope, OtaJsonContext.Default.OtaSignedJob);
    }

    public void Dispose() => _key.Dispose();
}
