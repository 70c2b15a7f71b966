namespace Edge.Packaging;

/// <summary>
/// A model package was refused. <see cref="Kind"/> says why; the message names the entry and the expected and
/// actual values. Nothing is left behind on disk when this is thrown by <see cref="ModelPackage.OpenAsync"/>.
/// The package's content is bad input, never a bug: the command-line tools map it to their bad-input exit code.
/// </summary>
public sealed class PackageVerificationException : Exception
{
    /// <summary>Creates an exception for a refused package.</summary>
    /// <param name="kind">Why the package was refused.</param>
    /// <param name="message">One readable sentence naming the problem, with expected and actual values.</param>
    /// <param name="entryPath">The archive entry concerned, if any.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public PackageVerificationException(PackageFailureKind kind, string message, string? entryPath = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        EntryPath = entryPath;
    }

    /// <summary>Creates an exception with a message; <see cref="Kind"/> is <see cref="PackageFailureKind.CorruptArchive"/>.</summary>
    public PackageVerificationException()
    {
    }

    /// <summary>Creates an exception with a message; <see cref="Kind"/> is <see cref="PackageFailureKind.CorruptArchive"/>.</summary>
    public PackageVerificationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception that wraps a cause; <see cref="Kind"/> is <see cref="PackageFailureKind.CorruptArchive"/>.</summary>
    public PackageVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why the package was refused.</summary>
    public PackageFailureKind Kind { get; }

    /// <summary>The archive entry concerned (for example <c>model/model.onnx</c>), or null when the problem is package-wide.</summary>
    public string? EntryPath { get; }
}
