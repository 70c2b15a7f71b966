using Edge.Onnx;
using Edge.TestUtilities;
using Google.Protobuf;

namespace Edge.Optimizer.Tests;

/// <summary>Writes one kind of bad model input into a folder and returns the path to pass to the CLI.</summary>
internal static class BadInputs
{
    public static string Create(string kind, string folder)
    {
        var path = Path.Combine(folder, kind + ".onnx");
        var mnist = File.ReadAllBytes(TestData.File("models/mnist/mnist.onnx"));
        switch (kind)
        {
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "random":
                var bytes = new byte[2048];
                new Random(42).NextBytes(bytes);
                File.WriteAllBytes(path, bytes);
                break;
            case "truncated":
                File.WriteAllBytes(path, mnist[..(mnist.Length * 2 / 3)]);
                break;
            case "text":
                File.WriteAllText(path, "name,label\ncat,1\ndog,2\n");
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            case "missing":
                break;
            case "missing-external-data":
                var model = OnnxModel.Load(TestData.File("models/mnist/mnist.onnx"));
                model.Save(path, new OnnxSaveOptions { ExternalDataThresholdBytes = 1024 });
                File.Delete(path + ".data");
                break;
            case "cycle":
                var cyclic = OnnxModel.Load(TestData.File("models/mnist/mnist.onnx")).Proto;
                cyclic.Graph.Node[0].Input[0] = cyclic.Graph.Node[^1].Output[0];
                File.WriteAllBytes(path, cyclic.ToByteArray());
                break;
            case "undefined":
                var dangling = OnnxModel.Load(TestData.File("models/mnist/mnist.onnx")).Proto;
                dangling.Graph.Node[^1].Input[0] = "no_such_value";
                File.WriteAllBytes(path, dangling.ToByteArray());
                break;
            case "length-lie":
                // Issue 17: ir_version 7, then the graph field claiming 2^62 bytes; 14 bytes in all.
                File.WriteAllBytes(path, [0x08, 0x07, 0x3A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x0A, 0x00]);
                break;
            default:
                throw new ArgumentException($"Unknown bad-input kind '{kind}'.", nameof(kind));
        }

        return path;
    }
}
