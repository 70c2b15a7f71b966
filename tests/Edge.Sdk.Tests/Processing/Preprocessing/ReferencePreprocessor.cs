using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Sdk.Tests.Processing.Preprocessing;

/// <summary>
/// A deliberately plain, per-output-value implementation of the spec (bilinear or nearest, any resize mode) over an
/// RGB24 image, to check the fused, vectorised pipeline against.
/// </summary>
internal static class ReferencePreprocessor
{
    public static float[] Run(PreprocessSpec spec, byte[] rgb, int width, int height)
    {
        var output = new float[spec.OutputLength];
        var (scaleX, offsetX, startX, countX) = Axis(spec, width, height, spec.Width, width);
        var (scaleY, offsetY, startY, countY) = Axis(spec, width, height, spec.Height, height);
        for (var c = 0; c < spec.Channels; c++)
        {
            for (var y = 0; y < spec.Height; y++)
            {
                for (var x = 0; x < spec.Width; x++)
                {
                    float pixel;
                    if (x < startX || x >= startX + countX || y < startY || y >= startY + countY)
                    {
                        pixel = spec.PadValue;
                    }
                    else
                    {
                        var sx = ((x + 0.5 - offsetX) / scaleX) - 0.5;
                        var sy = ((y + 0.5 - offsetY) / scaleY) - 0.5;
                        pixel = spec.ColorOrder switch
                        {
                            ColorOrder.Rgb => Sample(spec, rgb, width, height, sx, sy, c),
                            ColorOrder.Bgr => Sample(spec, rgb, width, height, sx, sy, 2 - c),
                            _ => (0.299f * Sample(spec, rgb, width, height, sx, sy, 0))
                                 + (0.587f * Sample(spec, rgb, width, height, sx, sy, 1))
                                 + (0.114f * Sample(spec, rgb, width, height, sx, sy, 2)),
                        };
                    }

                    var value = ((pixel * spec.Scale) - (spec.Mean?[c] ?? 0)) / (spec.Std?[c] ?? 1);
                    var index = spec.Layout == TensorLayout.Nchw
                        ? (((c * spec.Height) + y) * spec.Width) + x
                        : (((y * spec.Width) + x) * spec.Channels) + c;
                    output[index] = value;
                }
            }
        }

        return output;
    }

    private static (double Scale, double Offset, int Start, int Count) Axis(PreprocessSpec spec, int width, int height, int target, int source)
    {
        if (spec.Resize == ResizeMode.Stretch)
        {
            return ((double)target / source, 0, 0, target);
        }

        if (spec.Resize == ResizeMode.Letterbox)
        {
            var ratio = Math.Min((double)spec.Width / width, (double)spec.Height / height);
            var resized = (int)Math.Round(source * ratio);
            var pad = spec.Alignment == PadAlignment.TopLeft ? 0 : (target - resized) / 2;
            return ((double)resized / source, pad, pad, resized);
        }

        var factor = Math.Max(Math.Max((double)spec.Width / width, (double)spec.Height / height), (double)(spec.ShorterSide ?? 0) / Math.Min(width, height));
        var size = Math.Max(target, (int)Math.Round(source * factor));
        return ((double)size / source, -((size - target) / 2), 0, target);
    }

    private static float Sample(PreprocessSpec spec, byte[] rgb, int width, int height, double sx, double sy, int component)
    {
        if (spec.Interpolation == Interpolation.Nearest)
        {
            var nx = Math.Clamp((int)Math.Floor(sx + 0.5), 0, width - 1);
            var ny = Math.Clamp((int)Math.Floor(sy + 0.5), 0, height - 1);
            return rgb[(((ny * width) + nx) * 3) + component];
        }

        var x0 = (int)Math.Floor(sx);
        var y0 = (int)Math.Floor(sy);
        var tx = sx - x0;
        var ty = sy - y0;
        double At(int x, int y) => rgb[(((Math.Clamp(y, 0, height - 1) * width) + Math.Clamp(x, 0, width - 1)) * 3) + component];
        var top = (At(x0, y0) * (1 - tx)) + (At(x0 + 1, y0) * tx);
        var bottom = (At(x0, y0 + 1) * (1 - tx)) + (At(x0 + 1, y0 + 1) * tx);
        return (float)((top * (1 - ty)) + (bottom * ty));
    }
}
