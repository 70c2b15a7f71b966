using System.CommandLine;
using System.Security.Cryptography;
using Edge.CommandLine;
using Edge.Packaging;

namespace Edge.Optimizer.Cli.Commands;

/// <summary>
/// <c>edge-optimize keys new [-o dir | --private key.pem --public key.pub.pem]</c>: a package-signing key pair,
/// ECDSA P-256, as PEM (PKCS#8 private key with mode 0600, SubjectPublicKeyInfo public key).
/// </summary>
internal static class KeysCommand
{
    public const string DefaultPrivateName = "edge-signing.key.pem";
    public const string DefaultPublicName = "edge-signing.pub.pem";

    private const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicMode = PrivateMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static Command Build(CliContext context)
    {
        var output = new Option<DirectoryInfo?>("--output", "-o") { Description = $"Folder for {DefaultPrivateName} and {DefaultPublicName} (default: current folder)." };
        var privatePath = new Option<FileInfo?>("--private") { Description = "Path of the private key to write (PKCS#8 PEM, mode 0600)." };
        var publicPath = new Option<FileInfo?>("--public") { Description = "Path of the public key to write (SubjectPublicKeyInfo PEM)." };
        var create = new Command("new", "Create a new ECDSA P-256 signing key pair. Existing files are never overwritten.")
        {
            output,
            privatePath,
            publicPath,
        };
        create.SetAction((parseResult, cancellationToken) => CreateAsync(
            context, parseResult.GetValue(output), parseResult.GetValue(privatePath), parseResult.GetValue(publicPath), cancellationToken));
        return new Command("keys", "Manage package-signing keys.") { create };
    }

    private static async Task<int> CreateAsync(CliContext context, DirectoryInfo? output, FileInfo? privateFile, FileInfo? publicFile, CancellationToken cancellationToken)
    {
        if (output is not null && (privateFile is not null || publicFile is not null))
        {
            throw new CliUsageException("Use either --output or --private/--public, not both.");
        }

        var folder = output?.FullName ?? Directory.GetCurrentDirectory();
        var privatePath = privateFile?.FullName ?? Path.Combine(folder, DefaultPrivateName);
        var publicPath = publicFile?.FullName ?? Path.Combine(folder, DefaultPublicName);
        var existing = new[] { privatePath, publicPath }.Where(File.Exists).ToList();
        if (existing.Count > 0)
        {
            throw new CliUsageException($"Refusing to overwrite existing key file(s): {string.Join(", ", existing)}.");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(Path.GetDirectoryName(privatePath)!);
        Directory.CreateDirectory(Path.GetDirectoryName(publicPath)!);
        await WriteAsync(privatePath, key.ExportPkcs8PrivateKeyPem(), PrivateMode, cancellationToken);
        try
        {
            await WriteAsync(publicPath, key.ExportSubjectPublicKeyInfoPem(), PublicMode, cancellationToken);
        }
        catch
        {
            File.Delete(privatePath);
            throw;
        }

        await context.Output.WriteLineAsync($"key id:      {PackageKeyId.Compute(key)}");
        await context.Output.WriteLineAsync($"private key: {privatePath} (mode 0600; keep it secret, sign with pack --key)");
        await context.Output.WriteLineAsync($"public key:  {publicPath} (give it to devices; verify with --trust)");
        return ExitCodes.Success;
    }

    private static async Task WriteAsync(string path, string pem, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Created with the final mode, so the private key is never readable by others, not even briefly.
            options.UnixCreateMode = mode;
        }

        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(pem.AsMemory(), cancellationToken);
            await writer.WriteLineAsync();
        }

        if (!OperatingSystem.IsWindows())
        {
            // The umask may have removed bits from the create mode; set it exactly.
            File.SetUnixFileMode(path, mode);
        }
    }
}
