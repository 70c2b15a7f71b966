using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Optimizer.Passes.Distill.Training;

/// <summary>
/// Hint-loss pairs (student tensor, teacher tensor). When their channel counts differ, as after pruning, a 1×1
/// projection (trained with the student, not exported) maps the student's channels to the teacher's.
/// </summary>
internal sealed class HintAdapters : IDisposable
{
    private readonly Dictionary<string, Parameter> projections = new(StringComparer.Ordinal);

    public HintAdapters(IReadOnlyList<(string Student, string Teacher)> pairs) => Pairs = pairs;

    public IReadOnlyList<(string Student, string Teacher)> Pairs { get; }

    public IEnumerable<Parameter> Parameters => projections.Values;

    /// <summary>Creates projections for pairs whose channel counts differ (shapes from one probe batch).</summary>
    public void Prepare(IReadOnlyDictionary<string, long[]> studentShapes, IReadOnlyDictionary<string, long[]> teacherShapes)
    {
        foreach (var (student, teacher) in Pairs)
        {
            var (s, t) = (studentShapes[student], teacherShapes[teacher]);
            if (s.Length != t.Length || s.Length < 2 || !s.Skip(2).SequenceEqual(t.Skip(2)))
            {
                throw new InvalidDataException($"Hint '{student}={teacher}' pairs shapes [{string.Join(", ", s)}] and [{string.Join(", ", t)}]; they must match except in channels (dimension 1).");
            }

            if (s[1] != t[1])
            {
                using var scale = Math.Sqrt(1.0 / s[1]).ToScalar();
                var weight = randn(t[1], s[1], 1, 1).mul_(scale);
                projections[student] = new Parameter(weight, requires_grad: true);
            }
        }
    }

    public Tensor Loss(IReadOnlyDictionary<string, Tensor> student, IReadOnlyList<Tensor> teacher)
    {
        Tensor? total = null;
        for (var i = 0; i < Pairs.Count; i++)
        {
            var s = student[Pairs[i].Student];
            if (projections.TryGetValue(Pairs[i].Student, out var projection))
            {
                s = nn.functional.conv2d(s, projection);
            }

            var loss = DistillationLoss.Hint(s, teacher[i]);
            total = total is null ? loss : total.Plus(loss);
        }

        return total ?? zeros(1);
    }

    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(projections.Count);
        foreach (var (name, parameter) in projections)
        {
            writer.Write(name);
            var values = parameter.detach().contiguous().data<float>().ToArray();
            writer.Write(values.Length);
            foreach (var v in values)
            {
                writer.Write(v);
            }
        }
    }

    public void Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var values = new float[reader.ReadInt32()];
            for (var j = 0; j < values.Length; j++)
            {
                values[j] = reader.ReadSingle();
            }

            using var noGrad = no_grad();
            projections[name].copy_(tensor(values, projections[name].shape));
        }
    }

    public void Dispose()
    {
        foreach (var p in projections.Values)
        {
            p.Dispose();
        }
    }
}
