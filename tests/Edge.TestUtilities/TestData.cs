namespace Edge.TestUtilities;

/// <summary>
/// Locates the shared test data (models and datasets) that lives beside the repository, never inside it.
/// The <c>EDGE_TEST_DATA</c> environment variable wins; otherwise <c>../shared</c> next to the repository root.
/// A missing folder or file is a test failure with a message naming every place that was searched.
/// </summary>
public static class TestData
{
    /// <summary>Name of the environment variable that points at the shared data folder.</summary>
    public const string EnvironmentVariable = "EDGE_TEST_DATA";

    private static readonly Lazy<string> LazyRoot = new(ResolveRoot);

    /// <summary>The shared data folder, for example <c>/work/shared</c>.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The folder holding the shared ONNX models.</summary>
    public static string ModelsDirectory => Directory(Path.Combine("models"));

    /// <summary>Returns the full path of a file under the shared data folder, failing clearly if it is absent.</summary>
    /// <param name="relativePath">Path relative to the shared folder, such as <c>models/mnist/mnist.onnx</c>.</param>
    public static string File(string relativePath)
    {
        var full = Path.Combine(Root, relativePath);
        if (!System.IO.File.Exists(full))
        {
            throw new FileNotFoundException(
                $"Test data file '{relativePath}' was not found at '{full}'. The shared data folder is '{Root}' " +
                $"(from {Source}). Set {EnvironmentVariable} to the folder that holds models/ and datasets/.",
                full);
        }

        return full;
    }

    /// <summary>Returns the full path of a folder under the shared data folder, failing clearly if it is absent.</summary>
    /// <param name="relativePath">Path relative to the shared folder, such as <c>datasets/mnist</c>.</param>
    public static string Directory(string relativePath)
    {
        var full = Path.Combine(Root, relativePath);
        if (!System.IO.Directory.Exists(full))
        {
            throw new DirectoryNotFoundException(
                $"Test data folder '{relativePath}' was not found at '{full}'. The shared data folder is '{Root}' " +
                $"(from {Source}). Set {EnvironmentVariable} to the folder that holds models/ and datasets/.");
        }

        return full;
    }

    /// <summary>The repository root: the nearest ancestor of the test binaries that holds <c>Edge.sln</c>.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "Edge.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException(
                $"Could not find Edge.sln above '{AppContext.BaseDirectory}'; tests must run from a build inside the repository.");
        }
    }

    private static string Source =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable))
            ? "the fallback ../shared beside the repository"
            : $"{EnvironmentVariable}";

    private static string ResolveRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            candidates.Add(Path.GetFullPath(fromEnvironment));
        }
        else
        {
            candidates.Add(Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared")));
        }

        foreach (var candidate in candidates)
        {
            if (System.IO.Directory.Exists(Path.Combine(candidate, "models")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"Shared test data was not found. Looked in: {string.Join(", ", candidates.Select(c => $"'{c}'"))} " +
            $"(from {Source}), expecting a folder with models/ and datasets/. Set {EnvironmentVariable} to that folder.");
    }
}
