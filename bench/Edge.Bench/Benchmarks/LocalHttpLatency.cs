using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edge.Agent.Tests.Ota.Support;
using Edge.Bench.Harness;
using Edge.Onnx.Protobuf;
using Edge.Sdk.Inference;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// One child of <see cref="LocalHttpBenchmark"/>: the same mnist digit through the AOT agent's inference endpoint
/// (another process; the client builds nothing per call, it sends prepared bytes and parses the answer's outputs) and
/// through an in-process <see cref="ModelHost"/> on the same model file with the agent's session settings (CPU, one
/// intra-op thread), interleaved in blocks whose order alternates.
/// </summary>
internal static class LocalHttpLatency
{
    private const int BlockRuns = 100;

    public static async Task<JsonObject> RunAsync(string executable, int rounds)
    {
        await using var broker = await AgentBenchSupport.StartBrokerAsync();
        await using var agent = await LocalHttpAgent.StartAsync(executable, broker.Port, model: true, routes: "inference", "--Logging:LogLevel:Default=Warning");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{agent.Port}") };
        var body = MnistBody();
        var pixels = Digit();
        var inProcessOutput = new float[10];
        var httpOutput = new float[10];
        using var host = ModelHost.Load(OtaModels.MnistPath, new EdgeSessionOptions { Provider = ExecutionProvider.Cpu, Cpu = { IntraOpThreads = 1 } });

        void InProcess() => host.Run<float, float>(pixels, inProcessOutput);
        void Http()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/mnist/infer") { Content = new ByteArrayContent(body) };
            using var response = client.Send(request);
            response.EnsureSuccessStatusCode();
            using var stream = response.Content.ReadAsStream();
            using var answer = JsonDocument.Parse(stream);
            var i = 0;
            foreach (var value in answer.RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray())
            {
                httpOutput[i++] = value.GetSingle();
            }
        }

        _ = Measure.Repeat(InProcess, warmup: 0, BlockRuns * 2);
        _ = Measure.Repeat(Http, warmup: 0, BlockRuns * 2);
        var http = new List<double>();
        var inProcess = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                http.AddRange(Measure.Repeat(Http, warmup: 0, BlockRuns));
                inProcess.AddRange(Measure.Repeat(InProcess, warmup: 0, BlockRuns));
            }
            else
            {
                inProcess.AddRange(Measure.Repeat(InProcess, warmup: 0, BlockRuns));
                http.AddRange(Measure.Repeat(Http, warmup: 0, BlockRuns));
            }
        }

        var httpSummary = Measure.Summarize([.. http]);
        var inProcessSummary = Measure.Summarize([.. inProcess]);
        double Figure(JsonObject summary, string key) => summary[key]!.GetValue<double>();
        return new JsonObject
        {
            ["model"] = "models/mnist/mnist.onnx (served from a signed package through OTA)",
            ["rounds"] = rounds,
            ["runs_per_block"] = BlockRuns,
            ["request_body_bytes"] = body.Length,
            ["http"] = httpSummary,
            ["in_process_model_host"] = inProcessSummary,
            ["overhead_p50_ms"] = Math.Round(Figure(httpSummary, "p50_ms") - Figure(inProcessSummary, "p50_ms"), 4),
            ["overhead_p95_ms"] = Math.Round(Figure(httpSummary, "p95_ms") - Figure(inProcessSummary, "p95_ms"), 4),
            ["http_over_in_process_p50"] = Math.Round(Figure(httpSummary, "p50_ms") / Figure(inProcessSummary, "p50_ms"), 2),
            ["http_over_in_process_p95"] = Math.Round(Figure(httpSummary, "p95_ms") / Figure(inProcessSummary, "p95_ms"), 2),
            ["max_abs_output_difference"] = httpOutput.Zip(inProcessOutput, (a, b) => Math.Abs(a - b)).Max(),
        };
    }

    public static float[] Digit()
    {
        var input = TensorProto.Parser.ParseFrom(File.ReadAllBytes(OtaModels.GoldenInputPath));
        return MemoryMarshal.Cast<byte, float>(input.RawData.Span).ToArray();
    }

    /// <summary>The infer request for mnist's test digit, flat FP32 data.</summary>
    public static byte[] MnistBody()
    {
        var json = new StringBuilder("{\"inputs\":[{\"name\":\"").Append(OtaModels.InputName).Append("\",\"datatype\":\"FP32\",\"shape\":[1,1,28,28],\"data\":[");
        json.AppendJoin(',', Digit().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        return Encoding.UTF8.GetBytes(json.Append("]}]}").ToString());
    }
}
