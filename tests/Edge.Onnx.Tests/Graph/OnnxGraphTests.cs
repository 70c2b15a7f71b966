using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Edge.TestUtilities;

namespace Edge.Onnx.Tests.Graph;

public sealed class OnnxGraphTests
{
    [Fact]
    public void GetProducerAndConsumers_Mnist_FollowTheEdges()
    {
        var graph = OnnxModel.Load(TestData.File("models/mnist/mnist.onnx")).GetGraph();
        var conv = graph.Proto.Node.First(n => n.OpType == "Conv");

        Assert.Same(conv, graph.GetProducer(conv.Output[0]));
        Assert.Equal([conv], graph.GetConsumers("Input3").Where(n => n.OpType == "Conv"));
        Assert.NotNull(graph.GetInitializer(conv.Input[1]));
        Assert.Null(graph.GetProducer("Input3"));
    }

    [Fact]
    public void TopologicalOrder_ShuffledNodes_PutsProducersFirst()
    {
        var model = TestModels.AddRelu();
        model.Graph.Node.Add(model.Graph.Node[0]);
        model.Graph.Node.RemoveAt(0); // relu now comes before add in the file.

        var order = new OnnxGraph(model.Graph).TopologicalOrder();

        Assert.Equal(["add", "relu"], order.Select(n => n.Name));
    }

    [Fact]
    public void TopologicalOrder_Cycle_ThrowsNamingNodes()
    {
        var model = TestModels.AddRelu();
        model.Graph.Node[0].Input[0] = "Y";

        var error = Assert.Throws<OnnxModelException>(() => new OnnxGraph(model.Graph).TopologicalOrder());

        Assert.Contains("'add' (Add) -> 'relu' (Relu) -> 'add' (Add)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subgraphs_If_HaveParentAndOuterScopeReferences()
    {
        var model = IfModel();
        var graph = new OnnxGraph(model.Graph);

        Assert.Equal(2, graph.Subgraphs.Count);
        Assert.All(graph.Subgraphs, s => Assert.Same(graph, s.Graph.Parent));
        Assert.Equal(["then_branch", "else_branch"], graph.Subgraphs.Select(s => s.AttributeName));
        Assert.Contains("S", graph.Subgraphs[0].Graph.OuterScopeReferences);
        Assert.Contains(graph.Proto.Node.Single(n => n.OpType == "If"), graph.GetConsumers("S"));
    }

    [Fact]
    public void Subgraphs_SharedLoopModel_AreWalkedRecursively()
    {
        var model = OnnxModel.Load(TestData.File("models/onnx-node-tests/test_loop11/model.onnx"));

        var all = model.GetGraph().SelfAndDescendants().ToList();

        Assert.Equal(2, all.Count);
        Assert.Equal("body", model.GetGraph().Subgraphs.Single().AttributeName);
    }

    [Fact]
    public void RenameValue_UsedInSubgraphAndAsInitializer_UpdatesEveryReference()
    {
        var model = IfModel();
        var graph = new OnnxGraph(model.Graph);

        graph.RenameValue("S", "sum");
        graph.RenameValue("W", "weights");

        Assert.Equal(["X", "weights"], model.Graph.Node[0].Input);
        Assert.Equal("weights", model.Graph.Initializer[0].Name);
        Assert.Equal("sum", model.Graph.Node[0].Output[0]);
        Assert.Equal(["sum"], model.Graph.Node[1].Attribute[0].G.Node[0].Input);
        Assert.Same(model.Graph.Node[0], graph.GetProducer("sum"));
        Assert.Empty(OnnxModel.FromProto(model).Validate());
    }

    [Fact]
    public void RenameValue_NewNameTaken_ThrowsArgumentException()
    {
        var graph = new OnnxGraph(TestModels.AddRelu().Graph);

        var error = Assert.Throws<ArgumentException>(() => graph.RenameValue("S", "X"));

        Assert.Contains("already uses that name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InsertNode_AfterProducer_KeepsGraphValid()
    {
        var model = TestModels.AddRelu();
        var graph = new OnnxGraph(model.Graph);

        graph.InsertNode(TestModels.Node("Neg", "neg", ["S"], ["N"]));

        Assert.Equal(["add", "neg", "relu"], model.Graph.Node.Select(n => n.Name));
        Assert.Equal(2, graph.GetConsumers("S").Count);
        Assert.Empty(OnnxModel.FromProto(model).Validate());
    }

    [Fact]
    public void InsertNode_UndefinedInput_Throws()
    {
        var graph = new OnnxGraph(TestModels.AddRelu().Graph);

        Assert.Throws<ArgumentException>(() => graph.InsertNode(TestModels.Node("Neg", "neg", ["nothing"], ["N"])));
    }

    [Fact]
    public void ReplaceNode_SameOutputs_Replaces_AndMissingOutput_Throws()
    {
        var model = TestModels.AddRelu();
        var graph = new OnnxGraph(model.Graph);

        graph.ReplaceNode(model.Graph.Node[0], TestModels.Node("Sub", "sub", ["X", "W"], ["S"]));

        Assert.Equal("Sub", graph.GetProducer("S")!.OpType);
        Assert.Throws<ArgumentException>(() => graph.ReplaceNode(model.Graph.Node[0], TestModels.Node("Sub", "sub2", ["X", "W"], ["T"])));
        Assert.Empty(OnnxModel.FromProto(model).Validate());
    }

    [Fact]
    public void RemoveNode_OutputStillRead_Throws()
    {
        var model = TestModels.AddRelu();
        var graph = new OnnxGraph(model.Graph);

        Assert.Throws<ArgumentException>(() => graph.RemoveNode(model.Graph.Node[0]));
    }

    /// <summary>S = X + W; Y = If(C, then: Identity(S), else: Neg(S)) — both branches read S from the outer scope.</summary>
    internal static ModelProto IfModel()
    {
        var model = TestModels.AddRelu();
        model.Graph.Node.RemoveAt(1);
        model.Graph.Input.Add(new ValueInfoProto { Name = "C", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Bool } } });
        GraphProto Branch(string op) => new()
        {
            Name = op,
            Node = { TestModels.Node(op, op, ["S"], [op + "_out"]) },
            Output = { TestModels.FloatValue(op + "_out", 2, 3) },
        };
        var node = TestModels.Node("If", "if", ["C"], ["Y"]);
        node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = Branch("Identity") });
        node.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = Branch("Neg") });
        model.Graph.Node.Add(node);
        return model;
    }
}
