using Edge.Sdk.Inference;
using Edge.Sdk.Processing.Preprocessing;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Data;

/// <summary>
/// Turns dataset samples into a model's inputs. Tensor samples are matched to inputs by name when every tensor is
/// named after an input, otherwise by position, and converted to the input's element type. Image samples are
/// decoded and run through the preprocessing spec into the model's first input. Not thread-safe (it reuses the
/// preprocessor's scratch buffers); use one per thread.
/// </summary>
public sealed class SampleInputBuilder
{
    private readonly IReadOnlyList<TensorInfo> _inputs;
    private readonly PreprocessSpec? _spec;
    private readonly ImagePreprocessor? _preprocessor;

    public SampleInputBuilder(IReadOnlyList<TensorInfo> modelInputs, PreprocessSpec? spec)
    {
        _inputs = modelInputs;
        _spec = spec;
        if (spec is not null && modelInputs.Count > 0)
        {
            var first = modelInputs[0];
            spec.CheckFits([.. first.Dimensions.Select(d => (int)d)], first.Name);
            _preprocessor = new ImagePreprocessor(spec);
        }
    }

    public IReadOnlyList<ModelInput> Build(DataSample sample)
    {
        if (sample.ImagePath is not null)
        {
            return [BuildImage(sample)];
        }

        var tensors = sample.Inputs ?? throw new InvalidDataException($"Sample '{sample.Id}' has neither tensors nor an image.");

        // Matched by name when every model input has a tensor of its name; other tensors (the served outputs of a
        // fleet capture, output.*.npy) are then left out rather than taken as inputs.
        var byName = _inputs.All(i => tensors.Any(t => t.Name == i.Name));
        if (!byName && tensors.Count != _inputs.Count)
        {
            throw new InvalidDataException(
                $"Sample '{sample.Id}' has {tensors.Count} tensors but the model has {_inputs.Count} inputs ({string.Join(", ", _inputs.Select(i => i.Name))}).");
        }

        var result = new ModelInput[_inputs.Count];
        for (var k = 0; k < _inputs.Count; k++)
        {
            var info = _inputs[k];
            var tensor = byName ? tensors.First(t => t.Name == info.Name) : tensors[k];
            CheckShape(sample.Id, info, tensor.Shape);
            result[k] = new ModelInput(info.Name, info.ElementType, tensor.Shape, TensorConversion.Convert(tensor.Data, info.ElementType, $"sample '{sample.Id}' input '{info.Name}'"));
        }

        return result;
    }

    private ModelInput BuildImage(DataSample sample)
    {
        if (_spec is null || _preprocessor is null)
        {
            throw new InvalidDataException(
                $"Sample '{sample.Id}' is an image, but no preprocessing spec was given; pass --preprocess spec.json (see docs/preprocessing.md) or use a package that carries one.");
        }

        var input = _inputs[0];
        SkiaSharp.SKBitmap bitmap;
        try
        {
            bitmap = ImageDecoder.Decode(File.ReadAllBytes(sample.ImagePath!));
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Image '{sample.ImagePath}' could not be decoded: {e.Message}", e);
        }

        using (bitmap)
        {
            var shape = _spec.OutputShape.Select(d => (long)d).ToArray();
            var data = Preprocess(bitmap.AsFrame());
            return new ModelInput(input.Name, input.ElementType, shape, TensorConversion.Convert(data, input.ElementType, $"image '{sample.Id}'"));
        }
    }

    /// <summary>Runs the preprocessor into an array of the spec's data type (float32, float16 or uint8).</summary>
    private Array Preprocess(ImageFrame frame)
    {
        var preprocessor = _preprocessor!;
        switch (preprocessor.Spec.DataType)
        {
            case TensorDataType.Float16:
                var halves = new Half[preprocessor.OutputLength];
                preprocessor.Process(frame, halves);
                return halves;
            case TensorDataType.UInt8:
                var bytes = new byte[preprocessor.OutputLength];
                preprocessor.Process(frame, bytes);
                return bytes;
            default:
                return preprocessor.ProcessToArray(frame, out _);
        }
    }

    private static void CheckShape(string sampleId, TensorInfo info, long[] shape)
    {
        var declared = info.Dimensions;
        var fits = declared.Count == shape.Length;
        for (var d = 0; fits && d < shape.Length; d++)
        {
            fits = declared[d] < 1 || declared[d] == shape[d];
        }

        if (!fits)
        {
            var expected = string.Join('x', declared.Select((d, i) => d < 1 ? info.SymbolicDimensions[i] ?? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            throw new InvalidDataException(
                $"Sample '{sampleId}' input '{info.Name}' has shape {string.Join('x', shape)}; the model expects {expected}.");
        }
    }
}
