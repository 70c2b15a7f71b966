using TorchSharp;
using static TorchSharp.torch;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// Batch augmentation in TorchSharp with the global generator (seeded per epoch, so runs and resumes repeat):
/// <c>flip</c> mirrors about half the samples horizontally; <c>crop</c> pads by an eighth of the size and crops back
/// at a random offset per sample.
/// </summary>
internal sealed class Augmenter(IReadOnlyList<string> augmentations)
{
    public bool Enabled => augmentations.Count > 0;

    public Tensor Apply(Tensor batch)
    {
        var x = batch;
        if (augmentations.Contains("flip"))
        {
            using var half = 0.5.ToScalar();
            var mask = rand(x.shape[0]).lt(half).reshape(-1, 1, 1, 1);
            x = where(mask, x.flip(3), x);
        }

        if (augmentations.Contains("crop"))
        {
            var (height, width) = (x.shape[2], x.shape[3]);
            var pad = Math.Max(1, height / 8);
            var padded = nn.functional.pad(x, [pad, pad, pad, pad]);
            var offsets = randint(0, (2 * pad) + 1, [x.shape[0], 2]).data<long>().ToArray();
            var crops = new Tensor[x.shape[0]];
            for (var i = 0; i < crops.Length; i++)
            {
                crops[i] = padded[i].narrow(1, offsets[2 * i], height).narrow(2, offsets[(2 * i) + 1], width);
            }

            x = stack(crops);
        }

        return x;
    }
}
