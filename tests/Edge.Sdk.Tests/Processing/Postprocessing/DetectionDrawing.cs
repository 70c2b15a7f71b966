using Edge.Sdk.Processing.Postprocessing;
using SkiaSharp;

namespace Edge.Sdk.Tests.Processing.Postprocessing;

/// <summary>Draws detections onto a copy of the photo and writes a PNG a person can look at.</summary>
internal static class DetectionDrawing
{
    public static string OutputDirectory
    {
        get
        {
            var directory = Path.Combine(Path.GetTempPath(), "edge-sdk-detections");
            Directory.CreateDirectory(directory);
            return directory;
        }
    }

    public static string Save(SKBitmap photo, IEnumerable<Detection> detections, Func<int, string> label, string name)
    {
        using var canvas = new SKCanvas(photo);
        using var stroke = new SKPaint { Color = SKColors.Lime, Style = SKPaintStyle.Stroke, StrokeWidth = 3, IsAntialias = true };
        using var fill = new SKPaint { Color = SKColors.Lime, IsAntialias = true };
        using var font = new SKFont { Size = 16 };
        foreach (var detection in detections)
        {
            var box = detection.Box;
            canvas.DrawRect(new SKRect(box.X1, box.Y1, box.X2, box.Y2), stroke);
            canvas.DrawText($"{label(detection.ClassId)} {detection.Score:0.00}", box.X1 + 3, Math.Max(16, box.Y1 - 4), SKTextAlign.Left, font, fill);
        }

        canvas.Flush();
        var path = Path.Combine(OutputDirectory, name + ".png");
        using var image = SKImage.FromBitmap(photo);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
        return path;
    }
}
