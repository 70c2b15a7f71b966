using Edge.Onnx.Protobuf;
using Edge.Onnx.Tests.Graph;
using Edge.Onnx.Validation;

namespace Edge.Onnx.Tests.Validation;

public sealed class GraphValidatorTests
{
    [Fact]
    public void Validate_ValidModelWithSubgraphs_ReportsNothing()
    {
        Assert.Empty(OnnxModel.FromProto(OnnxGraphTests.IfModel()).Validate());
    }

    [Fact]
    public void Validate_ModelWithEveryProblem_ReportsAllOfThem()
    {
        var model = TestModels.AddRelu();
        model.Graph.Node.Add(TestModels.Node("Neg", "neg", ["undefined_value"], ["S"])); // dangling + duplicate
        model.Graph.Node.Add(TestModels.Node("A", "a", ["b_out"], ["a_out"]));
        model.Graph.Node.Add(TestModels.Node("B", "b", ["a_out"], ["b_out"])); // cycle
        model.Graph.Input.Add(TestModels.FloatValue("W", 3, 2)); // declared shape disagrees with the 2x3 initializer
        model.Graph.ValueInfo.Add(new ValueInfoProto
        {
            Name = "W",
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Int64 } },
        });

        var issues = OnnxModel.FromProto(model).Validate();

        Assert.Equal(
            [ValidationIssueKind.UndefinedValue, ValidationIssueKind.DuplicateDefinition, ValidationIssueKind.Cycle, ValidationIssueKind.TypeMismatch],
            issues.Select(i => i.Kind).Distinct().Order());
        Assert.Contains(issues, i => i.Message.Contains("reads 'undefined_value'", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Message.Contains("value 'S' in graph 'main' is produced twice", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Message.Contains("'a' (A) -> 'b' (B) -> 'a' (A)", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Message.Contains("has dims [2, 3] but is declared as [3 x 2]", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Message.Contains("has type float but is declared as int64", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EmptyOptionalInput_IsNotDangling()
    {
        var model = TestModels.AddRelu();
        model.Graph.Node[1].Input.Add("");

        Assert.Empty(OnnxModel.FromProto(model).Validate());
    }

    [Fact]
    public void Validate_SubgraphReadingValueNoScopeDefines_ReportsItWithLocation()
    {
        var model = OnnxGraphTests.IfModel();
        model.Graph.Node[1].Attribute[1].G.Node[0].Input[0] = "outer_ghost";

        var issue = Assert.Single(OnnxModel.FromProto(model).Validate());

        Assert.Equal(ValidationIssueKind.UndefinedValue, issue.Kind);
        Assert.Equal("main/if.else_branch", issue.Graph);
    }
}
