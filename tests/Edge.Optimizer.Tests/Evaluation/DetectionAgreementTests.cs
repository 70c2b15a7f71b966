using Edge.Onnx;
using Edge.Optimizer.Evaluation;
using Edge.Sdk.Processing.Postprocessing;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Evaluation;

public sealed class DetectionAgreementTests
{
    [Fact]
    public void F1_SameBoxesSameClasses_IsOne()
    {
        Detection[] boxes = [Box(0, 0, 10, 10, 1), Box(20, 20, 30, 30, 2)];

        Assert.Equal(1.0, DetectionAgreement.F1(boxes, boxes));
    }

    [Fact]
    public void F1_NothingFoundByEither_IsOne() => Assert.Equal(1.0, DetectionAgreement.F1([], []));

    [Fact]
    public void F1_OneMissedOneShiftedOneRelabelled_CountsOnlyTrueMatches()
    {
        Detection[] reference = [Box(0, 0, 10, 10, 1), Box(20, 20, 30, 30, 2), Box(40, 40, 50, 50, 3)];
        Detection[] candidate = [Box(1, 1, 11, 11, 1), Box(40, 40, 50, 50, 4)];

        // Only the first box matches (IoU 0.68, same class): 2 x 1 / (3 + 2).
        Assert.Equal(0.4, DetectionAgreement.F1(candidate, reference), 6);
    }

    [Fact]
    public void F1_BoxesOverlappingLessThanHalf_DoNotMatch()
    {
        Assert.Equal(0.0, DetectionAgreement.F1([Box(0, 0, 10, 10, 1)], [Box(6, 0, 16, 10, 1)]));
    }

    [Theory]
    [InlineData("models/mnist/mnist.onnx", "Classification")]
    [InlineData("models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx", "Classification")]
    [InlineData("models/detectors/yolox_nano/yolox_nano.onnx", "Yolox")]
    [InlineData("models/detectors/ultraface/version-RFB-320.onnx", "UltraFace")]
    public void Detect_SharedModels_TellsClassifiersFromDetectors(string model, string expected)
    {
        Assert.Equal(expected, OutputTaskDetector.Detect(OnnxModel.Load(TestData.File(model))).ToString());
    }

    private static Detection Box(float left, float top, float right, float bottom, int classId) =>
        new(new BoundingBox(left, top, right, bottom), classId, 0.9f);
}
