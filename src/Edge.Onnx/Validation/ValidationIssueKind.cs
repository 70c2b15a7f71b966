namespace Edge.Onnx.Validation;

/// <summary>What kind of problem a <see cref="ValidationIssue"/> reports.</summary>
public enum ValidationIssueKind
{
    /// <summary>A node input or graph output names a value that nothing defines (outer scopes and empty optional inputs are honoured).</summary>
    UndefinedValue,

    /// <summary>A value is produced twice: by two nodes, or by a node and a graph input or initializer.</summary>
    DuplicateDefinition,

    /// <summary>The nodes depend on each other in a cycle.</summary>
    Cycle,

    /// <summary>An initializer's element type or shape disagrees with the declared graph input or value_info of the same name.</summary>
    TypeMismatch,
}
