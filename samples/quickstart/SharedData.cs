namespace Edge.Quickstart;

/// <summary>
/// Finds the shared models and datasets the same way the tests do: <c>EDGE_TEST_DATA</c>, else <c>../shared</c>
/// beside the current folder (the clone's root when run as the README says), else beside the repository that holds
/// this build. Nothing is copied into the repository.
/// </summary>
internal static class SharedData
{
    public const string EnvironmentVariable = "EDGE_TEST_DATA";

    /// <summary>The shared folder, or null with the places searched.</summary>
    public static string? Find(out IReadOnlyList<string> searched)
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            candidates.Add(Path.GetFullPath(fromEnvironment));
        }
        else
        {
            candidates.Add(Path.GetFullPath(Path.Combine(Environment.CurrentDirectory, "..", "shared")));
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Edge.sln")))
                {
                    candidates.Add(Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared")));
                    break;
                }
            }
        }

        searched = candidates;
        return candidates.FirstOrDefault(c => Directory.Exists(Path.Combine(c, "models")));
    }
}
