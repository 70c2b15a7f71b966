using System.Text.Json;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>
/// Declarative description of how an image becomes a model input tensor: resize, crop or letterbox, colour order,
/// scale, per-channel mean and std, layout and element type. Serialises to and from JSON
/// (<see cref="ToJson"/>, <see cref="FromJson"/>; format in <c>docs/preprocessing.md</c>) so it can ship beside a model.
/// </summary>
/// <remarks>
/// Each output value is <c>(pixel * Scale - Mean[c]) / Std[c]</c>, where <c>pixel</c> is the resampled 0..255 value and
/// <c>c</c> indexes the output channels in <see cref="ColorOrder"/> order (so for <see cref="ColorOrder.Bgr"/>, Mean[0]
/// is the blue mean). Properties are settable like any options type (System.Text.Json's source generator loses the
/// defaults of init-only properties); <see cref="ImagePreprocessor"/> takes a private copy, so later changes do not affect it. Call <see cref="Validate"/> (the
/// <see cref="ImagePreprocessor"/> constructor does) and <see cref="CheckFits(ReadOnlySpan{int}, string)"/> at load time.
/// </remarks>
public sealed partial record PreprocessSpec
{
    /// <summary>Width in pixels of the produced tensor (1..16384). Required.</summary>
    public required int Width { get; set; }

    /// <summary>Height in pixels of the produced tensor (1..16384). Required.</summary>
    public required int Height { get; set; }

    /// <summary>How the image is fitted to <see cref="Width"/> x <see cref="Height"/>. Default <see cref="ResizeMode.Stretch"/>.</summary>
    public ResizeMode Resize { get; set; } = ResizeMode.Stretch;

    /// <summary>
    /// For <see cref="ResizeMode.ShorterSideCrop"/>: the length in pixels the shorter image side is scaled to before the
    /// centre crop (256 for the classic ImageNet recipe). Null means the smallest scale at which the crop fits (a plain
    /// centre crop to the target aspect ratio). If the crop would not fit along the longer side, the scale grows until it does.
    /// </summary>
    public int? ShorterSide { get; set; }

    /// <summary>Resampling filter. Default <see cref="Interpolation.Bilinear"/>.</summary>
    public Interpolation Interpolation { get; set; } = Interpolation.Bilinear;

    /// <summary>For <see cref="ResizeMode.Letterbox"/>: the fill value in 0..255 pixel units, normalised like any pixel. Default 0.</summary>
    public float PadValue { get; set; }

    /// <summary>For <see cref="ResizeMode.Letterbox"/>: where the scaled image sits. Default <see cref="PadAlignment.Center"/>.</summary>
    public PadAlignment Alignment { get; set; } = PadAlignment.Center;

    /// <summary>Channel order the model expects; <see cref="ColorOrder.Grayscale"/> gives one channel. Default <see cref="ColorOrder.Rgb"/>.</summary>
    public ColorOrder ColorOrder { get; set; } = ColorOrder.Rgb;

    /// <summary>Factor applied to 0..255 pixel values before mean and std, for example 1/255. Finite and non-zero. Default 1.</summary>
    public float Scale { get; set; } = 1f;

    /// <summary>Per-channel mean subtracted after <see cref="Scale"/>, in output channel order; one value per channel. Null means 0.</summary>
    public IReadOnlyList<float>? Mean { get; set; }

    /// <summary>Per-channel divisor applied after the mean, in output channel order; one non-zero value per channel. Null means 1.</summary>
    public IReadOnlyList<float>? Std { get; set; }

    /// <summary>Tensor layout. Default <see cref="TensorLayout.Nchw"/>.</summary>
    public TensorLayout Layout { get; set; } = TensorLayout.Nchw;

    /// <summary>Tensor element type. Default <see cref="TensorDataType.Float32"/>.</summary>
    public TensorDataType DataType { get; set; } = TensorDataType.Float32;

    /// <summary>Number of output channels: 1 for <see cref="ColorOrder.Grayscale"/>, otherwise 3.</summary>
    public int Channels => ColorOrder == ColorOrder.Grayscale ? 1 : 3;

    /// <summary>Shape of the produced tensor: [1, C, H, W] for NCHW, [1, H, W, C] for NHWC.</summary>
    public int[] OutputShape => Layout == TensorLayout.Nchw ? [1, Channels, Height, Width] : [1, Height, Width, Channels];

    /// <summary>Number of elements in the produced tensor.</summary>
    public int OutputLength => Channels * Height * Width;

    /// <summary>Parses a spec from JSON and validates it.</summary>
    /// <exception cref="PreprocessSpecException">The JSON is malformed, has unknown or missing properties, or the spec is invalid.</exception>
    public static PreprocessSpec FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        PreprocessSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize(json, PreprocessJsonContext.Default.PreprocessSpec);
        }
        catch (JsonException exception)
        {
            throw new PreprocessSpecException($"Preprocess spec JSON could not be read: {exception.Message}", exception);
        }

        if (spec is null)
        {
            throw new PreprocessSpecException("Preprocess spec JSON is 'null'; expected an object with at least 'width' and 'height'.");
        }

        spec.Validate();
        return spec;
    }

    /// <summary>Reads and parses a spec file.</summary>
    /// <exception cref="PreprocessSpecException">The file's JSON is malformed or the spec is invalid.</exception>
    public static async Task<PreprocessSpec> FromFileAsync(string path, CancellationToken cancellationToken)
    {
        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return FromJson(json);
    }

    /// <summary>Serialises the spec as indented camelCase JSON with enums as strings; null properties are omitted.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, PreprocessJsonContext.Default.PreprocessSpec);

    /// <summary>Value equality, comparing <see cref="Mean"/> and <see cref="Std"/> element by element.</summary>
    public bool Equals(PreprocessSpec? other) =>
        other is not null
        && Width == other.Width
        && Height == other.Height
        && Resize == other.Resize
        && ShorterSide == other.ShorterSide
        && Interpolation == other.Interpolation
        && PadValue.Equals(other.PadValue)
        && Alignment == other.Alignment
        && ColorOrder == other.ColorOrder
        && Scale.Equals(other.Scale)
        && SequenceEquals(Mean, other.Mean)
        && SequenceEquals(Std, other.Std)
        && Layout == other.Layout
        && DataType == other.DataType;

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Width);
        hash.Add(Height);
        hash.Add(Resize);
        hash.Add(ShorterSide);
        hash.Add(Interpolation);
        hash.Add(PadValue);
        hash.Add(Alignment);
        hash.Add(ColorOrder);
        hash.Add(Scale);
        hash.Add(Layout);
        hash.Add(DataType);
        foreach (var value in Mean ?? [])
        {
            hash.Add(value);
        }

        foreach (var value in Std ?? [])
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    private static bool SequenceEquals(IReadOnlyList<float>? left, IReadOnlyList<float>? right) =>
        left is null || right is null ? left is null && right is null : left.SequenceEqual(right);
}
