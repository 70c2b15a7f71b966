using System.Buffers.Binary;
using System.IO.Compression;
using Edge.Onnx.Protobuf;
using Edge.Sdk.IO;

namespace Edge.Optimizer.Data;

/// <summary>
/// MNIST in idx format (<c>*-images-idx3-ubyte</c> and <c>*-labels-idx1-ubyte</c>, plain or <c>.gz</c>).
/// Each sample is a float tensor [1, 1, rows, cols] of raw pixel values 0–255, the convention of the ONNX
/// model zoo's MNIST models. The test set (<c>t10k-</c>) is preferred when a folder holds both sets.
/// </summary>
internal sealed class MnistDataset : IDataset
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    private readonly string _imagesPath;
    private readonly string _labelsPath;
    private readonly int _start;
    private readonly int _rows;
    private readonly int _columns;

    public MnistDataset(DatasetSpec spec)
    {
        Spec = spec;
        if (!Directory.Exists(spec.Path))
        {
            throw new DirectoryNotFoundException($"MNIST folder '{spec.Path}' {PathProblem.ForFolder(spec.Path)}; expected a folder with *-images-idx3-ubyte[.gz] and *-labels-idx1-ubyte[.gz].");
        }

        _imagesPath = FindFile(spec.Path, "images-idx3-ubyte");
        _labelsPath = FindFile(spec.Path, "labels-idx1-ubyte");

        int imageCount;
        using (var images = OpenIdx(_imagesPath, ImagesMagic, 3, out var dims))
        {
            imageCount = dims[0];
            _rows = dims[1];
            _columns = dims[2];
        }

        using (OpenIdx(_labelsPath, LabelsMagic, 1, out var labelDims))
        {
            if (labelDims[0] != imageCount)
            {
                throw new InvalidDataException($"MNIST files disagree: '{_imagesPath}' has {imageCount} images but '{_labelsPath}' has {labelDims[0]} labels.");
            }
        }

        (_start, Count) = spec.Resolve(imageCount);
    }

    public DatasetSpec Spec { get; }

    public int Count { get; }

    public bool HasLabels => true;

    public IEnumerable<DataSample> Read(CancellationToken cancellationToken = default)
    {
        using var images = OpenIdx(_imagesPath, ImagesMagic, 3, out _);
        using var labels = OpenIdx(_labelsPath, LabelsMagic, 1, out _);
        var pixels = _rows * _columns;
        var buffer = new byte[pixels];
        var label = new byte[1];
        Skip(images, (long)_start * pixels);
        Skip(labels, _start);
        for (var i = 0; i < Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            images.ReadExactly(buffer);
            labels.ReadExactly(label);
            var data = new float[pixels];
            for (var p = 0; p < pixels; p++)
            {
                data[p] = buffer[p];
            }

            var tensor = new SampleTensor(null, TensorProto.Types.DataType.Float, [1, 1, _rows, _columns], data);
            yield return DataSample.FromTensors((_start + i).ToString(System.Globalization.CultureInfo.InvariantCulture), label[0], [tensor]);
        }
    }

    private static string FindFile(string folder, string marker)
    {
        var candidates = Directory.EnumerateFiles(folder)
            .Where(f => Path.GetFileName(f).Contains(marker, StringComparison.Ordinal))
            .OrderByDescending(f => Path.GetFileName(f).StartsWith("t10k", StringComparison.Ordinal))
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
        return candidates.Count > 0
            ? candidates[0]
            : throw new FileNotFoundException($"MNIST folder '{folder}' has no file named like '*{marker}' or '*{marker}.gz'.");
    }

    private static Stream OpenIdx(string path, int expectedMagic, int rank, out int[] dims)
    {
        Stream stream = File.OpenRead(path);
        try
        {
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                stream = new BufferedStream(new GZipStream(stream, CompressionMode.Decompress), 1 << 16);
            }

            Span<byte> header = stackalloc byte[4];
            stream.ReadExactly(header);
            var magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic != expectedMagic)
            {
                throw new InvalidDataException($"'{path}' is not an idx file of rank {rank}: magic 0x{magic:x8}, expected 0x{expectedMagic:x8}.");
            }

            dims = new int[rank];
            for (var d = 0; d < rank; d++)
            {
                stream.ReadExactly(header);
                dims[d] = BinaryPrimitives.ReadInt32BigEndian(header);
            }

            return stream;
        }
        catch (EndOfStreamException e)
        {
            stream.Dispose();
            throw new InvalidDataException($"'{path}' ends inside its idx header.", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static void Skip(Stream stream, long bytes)
    {
        var scratch = new byte[Math.Min(bytes, 1 << 16)];
        while (bytes > 0)
        {
            var read = stream.Read(scratch, 0, (int)Math.Min(bytes, scratch.Length));
            if (read == 0)
            {
                throw new EndOfStreamException("idx file ended while skipping to the requested range.");
            }

            bytes -= read;
        }
    }
}
