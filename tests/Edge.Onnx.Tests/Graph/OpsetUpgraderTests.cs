using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Tests.Graph;

public sealed class OpsetUpgraderTests
{
    [Fact]
    public void Upgrade_Opset11Unsqueeze_MovesAxesToAnInt64Input()
    {
        var model = UnsqueezeModel(opset: 11);

        var previous = OpsetUpgrader.Upgrade(model, 13, new NameAllocator(model));

        Assert.Equal(11, previous);
        Assert.Equal(13, model.OpsetImport.Single().Version);
        var node = model.Graph.Node.Single();
        Assert.Empty(node.Attribute);
        Assert.Equal(2, node.Input.Count);
        var axes = model.Graph.Initializer.Single(i => i.Name == node.Input[1]);
        Assert.Equal([0L], TensorData.ReadInt64s(axes));
        Assert.Empty(OnnxModel.FromProto(model).Validate());
    }

    [Fact]
    public void Upgrade_AlreadyAtTarget_ReturnsOpsetAndChangesNothing()
    {
        var model = UnsqueezeModel(opset: 13);
        var before = model.Clone();

        Assert.Equal(13, OpsetUpgrader.Upgrade(model, 13, new NameAllocator(model)));
        Assert.Equal(before, model);
    }

    [Fact]
    public void Upgrade_DropoutWhoseMaskIsRead_ThrowsNamingNodeAndTarget()
    {
        var model = TestModels.AddRelu();
        model.OpsetImport[0].Version = 10;
        model.Graph.Node[1] = TestModels.Node("Dropout", "drop", ["S"], ["Y", "mask"]);
        model.Graph.Node.Add(TestModels.Node("Identity", "use_mask", ["mask"], ["M"]));

        var error = Assert.Throws<OnnxModelException>(() => OpsetUpgrader.Upgrade(model, 13, new NameAllocator(model)));

        Assert.Equal(
            "Cannot raise the model from opset 10 to 13: node 'drop' (Dropout) cannot be converted because its mask output is used. Re-export the model at opset 13 or newer.",
            error.Message);
    }

    private static ModelProto UnsqueezeModel(int opset)
    {
        var node = TestModels.Node("Unsqueeze", "unsqueeze", ["X"], ["Y"]);
        node.Attribute.Add(new AttributeProto { Name = "axes", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 0 } });
        var model = TestModels.Model(new GraphProto
        {
            Name = "unsqueeze",
            Input = { TestModels.FloatValue("X", 2, 3) },
            Output = { TestModels.FloatValue("Y", 1, 2, 3) },
            Node = { node },
        });
        model.OpsetImport[0].Version = opset;
        return model;
    }
}
