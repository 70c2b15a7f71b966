using System.Runtime.InteropServices;
using Edge.Onnx;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Calibration;
using Edge.Optimizer.Data;
using Edge.Optimizer.Tests.Passes.Quantize;
using Google.Protobuf;

namespace Edge.Optimizer.Tests.Calibration;

public sealed class ActivationCalibratorTests
{
    [Fact]
    public void Calibrate_DynamicBatchInBatchesOfFour_GivesTheSameRangesAsOneByOne()
    {
        using var folder = new TemporaryFolder();
        var model = BuildMatMulModel();
        var values = QuantizeTestKit.RandomFloats(10 * 4, seed: 8, -3, 3);
        var npy = QuantizeTestKit.WriteNpy(Path.Combine(folder.Path, "x.npy"), values, [10, 4]);
        var dataset = DatasetFactory.Open($"npy:{npy}");

        var batched = ActivationCalibrator.Calibrate(model, ["x", "y"], dataset, null, new CalibrationSettings(CalibrationMethod.MinMax, 99.999, 4, 1), null, CancellationToken.None);
        var single = ActivationCalibrator.Calibrate(model, ["x", "y"], dataset, null, new CalibrationSettings(CalibrationMethod.MinMax, 99.999, 1, 1), null, CancellationToken.None);

        Assert.Equal(10, batched.Samples);
        Assert.Equal(values.Min(), batched.Ranges["x"].Min);
        Assert.Equal(values.Max(), batched.Ranges["x"].Max);
        Assert.Equal(single.Ranges["y"], batched.Ranges["y"]);
    }

    /// <summary>y[N,3] = x[N,4] x W[4,3], with a symbolic batch dimension.</summary>
    private static OnnxModel BuildMatMulModel()
    {
        var weights = Enumerable.Range(0, 12).Select(i => (i % 5) - 2f).ToArray();
        var w = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(weights.AsSpan())) };
        w.Dims.AddRange([4, 3]);
        var graph = new GraphProto { Name = "matmul", Initializer = { w } };
        graph.Input.Add(Value("x", 4));
        graph.Output.Add(Value("y", 3));
        graph.Node.Add(new NodeProto { OpType = "MatMul", Name = "mm", Input = { "x", "w" }, Output = { "y" } });
        var proto = new ModelProto { IrVersion = 8, Graph = graph };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return OnnxModel.FromProto(proto);
    }

    private static ValueInfoProto Value(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }
}
