namespace Edge.Onnx.Validation;

/// <summary>One problem found by <see cref="OnnxModel.Validate"/>.</summary>
/// <param name="Kind">What kind of problem it is.</param>
/// <param name="Graph">Where it is: <c>main</c>, <c>main/If_0.then_branch</c>, or <c>function:Name</c>.</param>
/// <param name="Message">One line naming the node or value with the expected and actual facts.</param>
public sealed record ValidationIssue(ValidationIssueKind Kind, string Graph, string Message);
