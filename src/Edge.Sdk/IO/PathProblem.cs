namespace Edge.Sdk.IO;

/// <summary>
/// Words for a path that is not what was expected, so that every Edge error tells "does not exist" apart from "is a
/// folder" (or "is a file"): the SDK, the agent and the tools word it the same way.
/// </summary>
public static class PathProblem
{
    /// <summary>Why <paramref name="path"/> cannot be read as a file: "is a folder, not a file" or "does not exist".</summary>
    /// <param name="path">A path that <see cref="File.Exists(string?)"/> rejected.</param>
    public static string ForFile(string path) =>
        Directory.Exists(path) ? "is a folder, not a file" : "does not exist";

    /// <summary>Why <paramref name="path"/> cannot be read as a folder: "is a file, not a folder" or "does not exist".</summary>
    /// <param name="path">A path that <see cref="Directory.Exists(string?)"/> rejected.</param>
    public static string ForFolder(string path) =>
        File.Exists(path) ? "is a file, not a folder" : "does not exist";
}
