using System.Text.Json;
using System.Text.Json.Serialization;
using Edge.Packaging;

namespace Edge.Optimizer.Packaging;

/// <summary>
/// Reads a passport from a JSON file (the manifest's <c>passport</c> object: <c>{ "entries": [...] }</c>, camelCase
/// as in docs/package-format.md) for <c>pack --passport</c>. The schema checks run when the package is written.
/// </summary>
internal static class PassportFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly JsonSerializerOptions WriteOptions = new(Options) { WriteIndented = true };

    public static async Task<PackagePassport> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync<PackagePassport>(stream, Options, cancellationToken)
                ?? throw new ArgumentException($"--passport '{path}' holds null; expected a JSON object with an 'entries' array.");
        }
        catch (JsonException exception)
        {
            throw new ArgumentException($"--passport '{path}' is not a passport (a JSON object with an 'entries' array, see docs/package-format.md): {exception.Message}", exception);
        }
    }

    /// <summary>Writes <paramref name="passport"/> in the form <see cref="ReadAsync"/> reads, indented.</summary>
    public static async Task WriteAsync(PackagePassport passport, string path, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, passport, WriteOptions, cancellationToken);
    }
}
