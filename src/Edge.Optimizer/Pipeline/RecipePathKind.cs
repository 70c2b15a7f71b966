namespace Edge.Optimizer.Pipeline;

/// <summary>What a path-valued option names, so a recipe can resolve it and check that it is still there.</summary>
internal enum RecipePathKind
{
    /// <summary>A file that must exist (a model, a preprocessing spec, a key).</summary>
    File,

    /// <summary>A folder that must exist (golden samples).</summary>
    Folder,

    /// <summary>A dataset argument, <c>kind:path[@from:to]</c>; its path must exist.</summary>
    Dataset,

    /// <summary>A place the step writes (a checkpoint folder); resolved, not checked.</summary>
    Output,
}
