using Edge.Onnx;
using static Edge.Optimizer.Tests.Passes.Distill.Interpreter.TinyModel;

namespace Edge.Optimizer.Tests.Passes.Distill.Interpreter;

/// <summary>One tiny model per supported op form, each with random inputs, for parity against ONNX Runtime.</summary>
internal static class OpCases
{
    public static readonly Dictionary<string, Func<(OnnxModel Model, TinyModel Builder)>> All = new(StringComparer.Ordinal)
    {
        ["Conv_Stride2Bias"] = () => Single(m => m.Op("Conv", [m.Input([2, 3, 9, 9]), m.Floats([4, 3, 3, 3]), m.Floats([4])], Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1))),
        ["Conv_AsymmetricPadsDilationGroups"] = () => Single(m => m.Op("Conv", [m.Input([1, 4, 10, 8]), m.Floats([6, 2, 3, 3])], Int("group", 2), Ints("dilations", 2, 1), Ints("pads", 0, 1, 2, 0))),
        ["Conv_AutoPadSameUpper"] = () => Single(m => m.Op("Conv", [m.Input([1, 2, 7, 7]), m.Floats([3, 2, 2, 2])], String("auto_pad", "SAME_UPPER"), Ints("strides", 2, 2))),
        ["Conv_OneDimensional"] = () => Single(m => m.Op("Conv", [m.Input([2, 3, 12]), m.Floats([5, 3, 3]), m.Floats([5])], Ints("pads", 1, 1), Ints("strides", 2))),
        ["ConvTranspose_StridePadsOutputPadding"] = () => Single(m => m.Op("ConvTranspose", [m.Input([1, 4, 5, 5]), m.Floats([4, 3, 3, 3]), m.Floats([3])], Ints("strides", 2, 2), Ints("pads", 1, 0, 1, 1), Ints("output_padding", 1, 1))),
        ["ConvTranspose_Groups"] = () => Single(m => m.Op("ConvTranspose", [m.Input([1, 4, 4, 4]), m.Floats([4, 1, 2, 2])], Int("group", 2), Ints("strides", 2, 2))),
        ["Gemm_TransBAlphaBeta"] = () => Single(m => m.Op("Gemm", [m.Input([3, 6]), m.Floats([4, 6]), m.Floats([4])], Int("transB", 1), Float("alpha", 0.5f), Float("beta", 2f))),
        ["Gemm_TransA"] = () => Single(m => m.Op("Gemm", [m.Input([6, 3]), m.Floats([6, 5]), m.Floats([3, 5])], Int("transA", 1))),
        ["MatMul_Batched"] = () => Single(m => m.Op("MatMul", [m.Input([2, 3, 6]), m.Floats([6, 4])])),
        ["BatchNormalization_Inference"] = () => Single(m => m.Op("BatchNormalization", [m.Input([2, 3, 4, 4]), m.Floats([3]), m.Floats([3]), m.Floats([3]), m.Floats([3], low: 0.5f, high: 2f)], Float("epsilon", 1e-3f))),
        ["Relu"] = () => Single(m => m.Op("Relu", [m.Input([2, 5])])),
        ["LeakyRelu"] = () => Single(m => m.Op("LeakyRelu", [m.Input([2, 5])], Float("alpha", 0.2f))),
        ["Clip_Inputs"] = () => Single(m => m.Op("Clip", [m.Input([2, 5]), m.Floats([], [-0.5f]), m.Floats([], [0.75f])])),
        ["Clip_MaxOnly"] = () => Single(m => m.Op("Clip", [m.Input([2, 5]), "", m.Floats([], [6f])])),
        ["Clip_Opset6Attributes"] = () => Single(m => m.Op("Clip", [m.Input([2, 5])], Float("min", 0f), Float("max", 1f)), opset: 6),
        ["Sigmoid"] = () => Single(m => m.Op("Sigmoid", [m.Input([2, 5])])),
        ["Tanh"] = () => Single(m => m.Op("Tanh", [m.Input([2, 5])])),
        ["HardSigmoid"] = () => Single(m => m.Op("HardSigmoid", [m.Input([2, 5])], Float("alpha", 0.3f), Float("beta", 0.4f))),
        ["HardSwish"] = () => Single(m => m.Op("HardSwish", [m.Input([3, 7])]), opset: 14),
        ["SiLU_SigmoidMul"] = () => Single(m =>
        {
            var x = m.Input([2, 6]);
            return m.Op("Mul", [x, m.Op("Sigmoid", [x])]);
        }),
        ["Add_Broadcast"] = () => Single(m => m.Op("Add", [m.Input([2, 3, 4]), m.Floats([3, 1])])),
        ["Mul_TwoInputs"] = () => Single(m => m.Op("Mul", [m.Input([2, 3]), m.Input([2, 3])])),
        ["Sub"] = () => Single(m => m.Op("Sub", [m.Input([2, 3]), m.Floats([3])])),
        ["Div"] = () => Single(m => m.Op("Div", [m.Input([2, 3]), m.Floats([3], low: 1f, high: 2f)])),
        ["Concat_Channels"] = () => Single(m => m.Op("Concat", [m.Input([1, 2, 3]), m.Input([1, 4, 3])], Int("axis", 1))),
        ["Split_SizesInput"] = () => Multi(m => m.Node("Split", [m.Input([2, 7]), m.Ints(3, 4)], outputs: 2, attributes: Int("axis", 1))),
        ["Split_Equal"] = () => Multi(m => m.Node("Split", [m.Input([6, 2])], outputs: 3)),
        ["Slice_AxesSteps"] = () => Single(m => m.Op("Slice", [m.Input([4, 10]), m.Ints(-8, 1), m.Ints(long.MaxValue, 3), m.Ints(1, 0), m.Ints(2, 1)])),
        ["Slice_Opset9Attributes"] = () => Single(m => m.Op("Slice", [m.Input([4, 6])], Ints("starts", 1), Ints("ends", -1), Ints("axes", 1)), opset: 9),
        ["Reshape_ZeroAndInfer"] = () => Single(m => m.Op("Reshape", [m.Input([2, 3, 4]), m.Ints(0, -1, 2)])),
        ["Flatten_Axis2"] = () => Single(m => m.Op("Flatten", [m.Input([2, 3, 4, 5])], Int("axis", 2))),
        ["Transpose_Perm"] = () => Single(m => m.Op("Transpose", [m.Input([2, 3, 4])], Ints("perm", 2, 0, 1))),
        ["Transpose_Default"] = () => Single(m => m.Op("Transpose", [m.Input([2, 3, 4])])),
        ["Squeeze_AxesInput"] = () => Single(m => m.Op("Squeeze", [m.Input([1, 3, 1, 4]), m.Ints(0, -2)])),
        ["Squeeze_Opset11Attribute"] = () => Single(m => m.Op("Squeeze", [m.Input([1, 3, 1])], Ints("axes", 2)), opset: 11),
        ["Unsqueeze_AxesInput"] = () => Single(m => m.Op("Unsqueeze", [m.Input([3, 4]), m.Ints(0, -1)])),
        ["MaxPool_PadsCeil"] = () => Single(m => m.Op("MaxPool", [m.Input([1, 2, 7, 7])], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1), Int("ceil_mode", 1))),
        ["MaxPool_SameUpper"] = () => Single(m => m.Op("MaxPool", [m.Input([1, 2, 6, 6])], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2), String("auto_pad", "SAME_UPPER"))),
        ["AveragePool_ExcludePad"] = () => Single(m => m.Op("AveragePool", [m.Input([1, 2, 6, 6])], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1))),
        ["AveragePool_IncludePad"] = () => Single(m => m.Op("AveragePool", [m.Input([1, 2, 6, 6])], Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1), Int("count_include_pad", 1))),
        ["GlobalAveragePool"] = () => Single(m => m.Op("GlobalAveragePool", [m.Input([2, 3, 5, 4])])),
        ["Softmax_Axis1"] = () => Single(m => m.Op("Softmax", [m.Input([2, 5, 3])], Int("axis", 1))),
        ["Softmax_Opset11Coerced"] = () => Single(m => m.Op("Softmax", [m.Input([2, 3, 2, 2])]), opset: 11),
        ["Dropout_Inference"] = () => Single(m => m.Op("Dropout", [m.Input([2, 5]), m.Floats([], [0.3f])])),
        ["Resize_Nearest2x"] = () => Single(m => m.Op("Resize", [m.Input([1, 2, 3, 4]), "", m.Floats([4], [1, 1, 2, 2])])),
        ["Resize_NearestAsymmetricFloor"] = () => Single(m => m.Op("Resize", [m.Input([1, 2, 3, 4]), "", m.Floats([4], [1, 1, 3, 2])], String("coordinate_transformation_mode", "asymmetric"), String("nearest_mode", "floor"))),
        ["Resize_LinearHalfPixelSizes"] = () => Single(m => m.Op("Resize", [m.Input([1, 2, 3, 4]), "", "", m.Ints(1, 2, 7, 5)], String("mode", "linear"))),
        ["Resize_LinearAlignCorners"] = () => Single(m => m.Op("Resize", [m.Input([1, 2, 3, 4]), "", m.Floats([4], [1, 1, 2, 2])], String("mode", "linear"), String("coordinate_transformation_mode", "align_corners"))),
        ["Pad_Constant"] = () => Single(m => m.Op("Pad", [m.Input([1, 2, 3, 3]), m.Ints(0, 0, 1, 2, 0, 1, 0, 1), m.Floats([], [0.5f])])),
        ["Pad_Reflect"] = () => Single(m => m.Op("Pad", [m.Input([1, 2, 4, 4]), m.Ints(0, 0, 1, 2, 0, 0, 2, 1)], String("mode", "reflect"))),
        ["Pad_Edge"] = () => Single(m => m.Op("Pad", [m.Input([1, 2, 3, 3]), m.Ints(0, 0, 2, 1, 0, 0, 0, 2)], String("mode", "edge"))),
        ["Identity"] = () => Single(m => m.Op("Identity", [m.Input([2, 3])])),
        ["Constant_Add"] = () => Single(m =>
        {
            var value = new Onnx.Protobuf.TensorProto { DataType = 1, Dims = { 3 } };
            value.FloatData.Add([1f, -2f, 3f]);
            return m.Op("Add", [m.Input([2, 3]), m.Op("Constant", [], Tensor("value", value))]);
        }),
    };

    public static IEnumerable<object[]> Names => All.Keys.Select(k => new object[] { k });

    private static (OnnxModel, TinyModel) Single(Func<TinyModel, string> build, long opset = 13)
    {
        var model = new TinyModel(opset);
        var output = build(model);
        return (model.Build(output), model);
    }

    private static (OnnxModel, TinyModel) Multi(Func<TinyModel, string[]> build, long opset = 13)
    {
        var model = new TinyModel(opset);
        var outputs = build(model);
        return (model.Build(outputs), model);
    }
}
