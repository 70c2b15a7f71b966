using System.Text.Json.Nodes;
using Edge.Optimizer.Passes.Quantize;

namespace Edge.Optimizer.Tests.Passes.Quantize;

public sealed class QuantizeOptionsJsonTests
{
    [Fact]
    public void FromJson_ToJsonOutput_ReplaysTheSameOptions()
    {
        var options = new QuantizeOptions
        {
            Mode = QuantizeMode.Static,
            Calibration = "images:x@0:100",
            PerChannel = true,
            ActivationType = QuantizedType.Int8,
            ExcludeNodes = ["conv1"],
            MaxAccuracyDrop = 0.5,
            Eval = "images:x@100:500",
            Method = Edge.Optimizer.Calibration.CalibrationMethod.Percentile,
        };

        var json = QuantizeOptionsJson.ToJson(options);
        var replayed = QuantizeOptionsJson.FromJson(JsonNode.Parse(json.ToJsonString())!.AsObject());

        Assert.Equal("int8", (string?)json["activationType"]);
        Assert.Equal("percentile", (string?)json["method"]);
        Assert.Equal(json.ToJsonString(), QuantizeOptionsJson.ToJson(replayed).ToJsonString());
    }

    [Fact]
    public void FromJson_UnknownProperty_ThrowsFormatExceptionNamingIt()
    {
        var error = Assert.Throws<FormatException>(() => QuantizeOptionsJson.FromJson(new JsonObject { ["perChanel"] = true }));

        Assert.Contains("perChanel", error.Message, StringComparison.Ordinal);
    }
}
