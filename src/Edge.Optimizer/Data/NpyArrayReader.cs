using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Edge.Onnx.Protobuf;

namespace Edge.Optimizer.Data;

/// <summary>
/// Reads one NumPy <c>.npy</c> array (format versions 1–3) from a stream, one leading-axis slice at a time, so a
/// large array never has to sit in memory. Only little-endian, C-order arrays of numeric or bool types are read.
/// </summary>
internal sealed partial class NpyArrayReader : IDisposable
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private readonly Stream _stream;
    private readonly string _source;
    private readonly int _elementSize;

    public NpyArrayReader(Stream stream, string source)
    {
        _stream = stream;
        _source = source;
        Span<byte> prefix = stackalloc byte[10];
        ReadExactly(prefix[..8], "the magic string");
        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{source}' is not a .npy array: it does not start with the \\x93NUMPY magic string.");
        }

        var major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            ReadExactly(prefix[..2], "the header length");
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix);
        }
        else if (major is 2 or 3)
        {
            ReadExactly(prefix[..4], "the header length");
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(prefix));
        }
        else
        {
            throw new InvalidDataException($"'{source}' is .npy format version {major}; versions 1 to 3 are supported.");
        }

        if (headerLength is <= 0 or > 1 << 20)
        {
            throw new InvalidDataException($"'{source}' declares a .npy header of {headerLength} bytes; expected 1 byte to 1 MiB.");
        }

        var header = new byte[headerLength];
        ReadExactly(header, "the header");
        ParseHeader(Encoding.Latin1.GetString(header), out var descr, out var shape);
        (ElementType, _elementSize) = MapDescriptor(descr);
        Shape = shape;
        SampleCount = shape.Length == 0 ? 1 : shape[0];
        SampleShape = shape.Length == 0 ? [] : shape[1..];
    }

    public TensorProto.Types.DataType ElementType { get; }

    public long[] Shape { get; }

    public long SampleCount { get; }

    /// <summary>The shape of one sample: the array shape without its leading axis. <see cref="ReadSample"/> prepends a batch axis of 1.</summary>
    public long[] SampleShape { get; }

    public void Skip(long samples)
    {
        var bytes = samples * SampleBytes;
        if (_stream.CanSeek)
        {
            _stream.Seek(bytes, SeekOrigin.Current);
            return;
        }

        var scratch = new byte[Math.Min(bytes, 1 << 16)];
        while (bytes > 0)
        {
            var read = _stream.Read(scratch, 0, (int)Math.Min(bytes, scratch.Length));
            if (read == 0)
            {
                throw new InvalidDataException($"'{_source}' ends before sample {samples}.");
            }

            bytes -= read;
        }
    }

    /// <summary>Reads the next sample as a tensor of shape [1, ...sample shape].</summary>
    public SampleTensor ReadSample(string? name)
    {
        var bytes = new byte[SampleBytes];
        ReadExactly(bytes, "a sample");
        var elements = (int)(SampleBytes / _elementSize);
        Array data = ElementType switch
        {
            TensorProto.Types.DataType.Float => new float[elements],
            TensorProto.Types.DataType.Double => new double[elements],
            TensorProto.Types.DataType.Int64 => new long[elements],
            TensorProto.Types.DataType.Int32 => new int[elements],
            TensorProto.Types.DataType.Uint8 => new byte[elements],
            TensorProto.Types.DataType.Int8 => new sbyte[elements],
            TensorProto.Types.DataType.Bool => new bool[elements],
            _ => throw new InvalidDataException($"'{_source}' has unsupported element type {ElementType}."),
        };
        Buffer.BlockCopy(bytes, 0, data, 0, bytes.Length);
        return new SampleTensor(name, ElementType, [1, .. SampleShape], data);
    }

    public void Dispose() => _stream.Dispose();

    private long SampleBytes => SampleShape.Aggregate((long)_elementSize, (a, b) => a * b);

    private void ReadExactly(Span<byte> buffer, string what)
    {
        try
        {
            _stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"'{_source}' ends inside {what}.", e);
        }
    }

    private void ParseHeader(string header, out string descr, out long[] shape)
    {
        var descrMatch = DescrPattern().Match(header);
        var orderMatch = FortranPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descrMatch.Success || !orderMatch.Success || !shapeMatch.Success)
        {
            throw new InvalidDataException($"'{_source}' has a .npy header without 'descr', 'fortran_order' and 'shape': {header.Trim()}");
        }

        if (orderMatch.Groups[1].Value == "True")
        {
            throw new InvalidDataException($"'{_source}' is stored in Fortran order; save it with C order (numpy.ascontiguousarray).");
        }

        descr = descrMatch.Groups[1].Value;
        shape = shapeMatch.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.Parse(d, NumberStyles.None, CultureInfo.InvariantCulture))
            .ToArray();
    }

    private (TensorProto.Types.DataType, int) MapDescriptor(string descr) => descr switch
    {
        "<f4" => (TensorProto.Types.DataType.Float, 4),
        "<f8" => (TensorProto.Types.DataType.Double, 8),
        "<i8" => (TensorProto.Types.DataType.Int64, 8),
        "<i4" => (TensorProto.Types.DataType.Int32, 4),
        "|u1" => (TensorProto.Types.DataType.Uint8, 1),
        "|i1" => (TensorProto.Types.DataType.Int8, 1),
        "|b1" => (TensorProto.Types.DataType.Bool, 1),
        _ => throw new InvalidDataException(
            $"'{_source}' has element type '{descr}'; supported: <f4, <f8, <i8, <i4, |u1, |i1, |b1 (little-endian)."),
    };

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
