using System.Globalization;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>Validation of a spec on its own and against a model input shape.</summary>
public sealed partial record PreprocessSpec
{
    private const int MaxSide = 16384;

    /// <summary>Returns every problem with this spec (empty when valid); each names the field, the value and what is expected.</summary>
    public IReadOnlyList<string> GetValidationErrors()
    {
        var errors = new List<string>();
        CheckSide(errors, "width", Width);
        CheckSide(errors, "height", Height);
        CheckEnum(errors, "resize", Resize);
        CheckEnum(errors, "interpolation", Interpolation);
        CheckEnum(errors, "alignment", Alignment);
        CheckEnum(errors, "colorOrder", ColorOrder);
        CheckEnum(errors, "layout", Layout);
        CheckEnum(errors, "dataType", DataType);

        if (ShorterSide is { } shorter)
        {
            if (Resize != ResizeMode.ShorterSideCrop)
            {
                errors.Add($"shorterSide is {shorter} but is only used with resize 'shorterSideCrop' (resize is '{Resize}'); remove it.");
            }
            else if (shorter < Math.Min(Width, Height) || shorter > MaxSide)
            {
                errors.Add($"shorterSide is {shorter}; expected {Math.Min(Width, Height)}..{MaxSide} (at least the smaller crop side).");
            }
        }

        if (!float.IsFinite(PadValue) || PadValue < 0 || PadValue > 255)
        {
            errors.Add($"padValue is {Format(PadValue)}; expected a pixel value in 0..255.");
        }

        if (!float.IsFinite(Scale) || Scale == 0)
        {
            errors.Add($"scale is {Format(Scale)}; expected a finite non-zero number such as 1 or 0.00392157 (1/255).");
        }

        var channels = Channels;
        CheckPerChannel(errors, "mean", Mean, channels, allowZero: true);
        CheckPerChannel(errors, "std", Std, channels, allowZero: false);

        if (DataType == TensorDataType.UInt8 && (Scale != 1f || Mean is not null || Std is not null))
        {
            errors.Add($"dataType 'uint8' carries raw 0..255 pixels, so scale must be 1 (is {Format(Scale)}) and mean/std must be absent (mean is {Describe(Mean)}, std is {Describe(Std)}).");
        }

        return errors;
    }

    /// <summary>Throws if the spec is invalid, listing every problem at once.</summary>
    /// <exception cref="PreprocessSpecException">One or more fields are invalid; <see cref="PreprocessSpecException.Errors"/> lists them.</exception>
    public void Validate()
    {
        var errors = GetValidationErrors();
        if (errors.Count > 0)
        {
            throw new PreprocessSpecException(errors);
        }
    }

    /// <summary>
    /// Checks that the tensor this spec produces fits a model input, so a mismatch is caught when the model is loaded
    /// rather than as a shape error on the first frame. Dimensions below 1 (ONNX Runtime reports symbolic ones as -1)
    /// match anything.
    /// </summary>
    /// <param name="modelInputShape">The input's dimensions, as reported by the runtime (rank 4, or rank 3 without batch).</param>
    /// <param name="inputName">The input's name, used in the message.</param>
    /// <exception cref="PreprocessSpecException">The shapes differ; the message gives both, for example
    /// "preprocess produces 1x3x224x224 NCHW but input 'data' expects 1x3x227x227".</exception>
    public void CheckFits(ReadOnlySpan<int> modelInputShape, string inputName)
    {
        var produced = OutputShape;
        var expected = modelInputShape.ToArray();
        var comparable = expected.Length == produced.Length ? produced
            : expected.Length == produced.Length - 1 ? produced[1..]
            : null;
        var fits = comparable is not null;
        for (var i = 0; fits && i < expected.Length; i++)
        {
            fits = expected[i] < 1 || expected[i] == comparable![i];
        }

        if (!fits)
        {
            var expectedText = expected.Length == 0 ? "a scalar" : string.Join('x', expected.Select(d => d < 1 ? "?" : d.ToString(CultureInfo.InvariantCulture)));
            throw new PreprocessSpecException(
                $"preprocess produces {string.Join('x', produced)} {Layout.ToString().ToUpperInvariant()} but input '{inputName}' expects {expectedText}.");
        }
    }

    private static void CheckSide(List<string> errors, string name, int value)
    {
        if (value < 1 || value > MaxSide)
        {
            errors.Add($"{name} is {value}; expected 1..{MaxSide}.");
        }
    }

    private static void CheckEnum<T>(List<string> errors, string name, T value)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            errors.Add($"{name} is {value}; expected one of {string.Join(", ", Enum.GetNames<T>())}.");
        }
    }

    private static void CheckPerChannel(List<string> errors, string name, IReadOnlyList<float>? values, int channels, bool allowZero)
    {
        if (values is null)
        {
            return;
        }

        if (values.Count != channels)
        {
            errors.Add($"{name} has {values.Count} values ({Describe(values)}) but the spec produces {channels} channel(s); expected {channels}.");
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (!float.IsFinite(values[i]) || (!allowZero && values[i] == 0))
            {
                errors.Add($"{name}[{i}] is {Format(values[i])}; expected a finite{(allowZero ? string.Empty : " non-zero")} number.");
            }
        }
    }

    private static string Describe(IReadOnlyList<float>? values) =>
        values is null ? "absent" : $"[{string.Join(", ", values.Select(Format))}]";

    private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
