using Edge.Sdk.Inference;

namespace Edge.Agent.Ota.Health;

/// <summary>
/// Binds golden inputs to a session's request and compares its outputs with the expected ones. Runs are not
/// measured, so the health gate never shows up in the live metrics the watch window judges.
/// </summary>
internal static class GoldenRunner
{
    /// <summary>A request with the sample's inputs bound, ready to run (the caller disposes it).</summary>
    /// <exception cref="InputMismatchException">The inputs do not fit the session's model.</exception>
    public static InferenceRequest Bind(EdgeSession session, GoldenSample sample)
    {
        if (sample.Inputs.Count != session.Inputs.Count)
        {
            throw new InputMismatchException($"golden sample '{sample.Spec.Name}'", $"{session.Inputs.Count} inputs", $"{sample.Inputs.Count} inputs");
        }

        var request = session.CreateRequest();
        try
        {
            for (var i = 0; i < sample.Inputs.Count; i++)
            {
                var tensor = sample.Inputs[i];
                var name = session.Inputs[i].Name;
                switch (tensor.DataType)
                {
                    case GoldenTensor.Float: request.SetInput<float>(name, tensor.Floats!, tensor.Dimensions); break;
                    case GoldenTensor.Double: request.SetInput<double>(name, tensor.Doubles!, tensor.Dimensions); break;
                    case GoldenTensor.Int32: request.SetInput<int>(name, tensor.Int32s!, tensor.Dimensions); break;
                    case GoldenTensor.Int64: request.SetInput<long>(name, tensor.Int64s!, tensor.Dimensions); break;
                    case GoldenTensor.UInt8: request.SetInput<byte>(name, tensor.UInt8s!, tensor.Dimensions); break;
                    default: request.SetInput<sbyte>(name, tensor.Int8s!, tensor.Dimensions); break;
                }
            }

            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    /// <summary>Runs one sample and returns the first problem (NaN/Inf, shape, tolerance) or null, with the largest absolute error seen.</summary>
    public static string? Check(EdgeSession session, GoldenSample sample, out double maxAbsError)
    {
        maxAbsError = 0;
        using var request = Bind(session, sample);
        request.RunUnmeasured();
        if (sample.Outputs.Count > session.Outputs.Count)
        {
            return $"golden sample '{sample.Spec.Name}' expects {sample.Outputs.Count} outputs; the model has {session.Outputs.Count}";
        }

        for (var o = 0; o < sample.Outputs.Count; o++)
        {
            var info = session.Outputs[o];
            var actual = ReadOutput(request, info);
            var expected = sample.Outputs[o].ToDoubles();
            if (actual.Length != expected.Length)
            {
                return $"golden sample '{sample.Spec.Name}' output '{info.Name}' has {actual.Length} elements, expected {expected.Length}";
            }

            for (var i = 0; i < actual.Length; i++)
            {
                if (!double.IsFinite(actual[i]))
                {
                    return $"golden sample '{sample.Spec.Name}' output '{info.Name}' element {i} is {actual[i]} (NaN or Inf)";
                }

                var error = Math.Abs(actual[i] - expected[i]);
                maxAbsError = Math.Max(maxAbsError, error);
                var allowed = sample.Spec.Atol + (sample.Spec.Rtol * Math.Abs(expected[i]));
                if (!(error <= allowed))
                {
                    return $"golden sample '{sample.Spec.Name}' output '{info.Name}' element {i} is {actual[i]:G6}, expected {expected[i]:G6} within {allowed:G3} (atol {sample.Spec.Atol}, rtol {sample.Spec.Rtol})";
                }
            }
        }

        return null;
    }

    private static double[] ReadOutput(InferenceRequest request, TensorInfo info)
    {
        var type = info.ElementClrType;
        if (type == typeof(float))
        {
            return ToDoubles(request.GetOutput<float>(info.Name));
        }

        if (type == typeof(double))
        {
            return request.GetOutput<double>(info.Name).ToArray();
        }

        if (type == typeof(long))
        {
            var values = request.GetOutput<long>(info.Name);
            var result = new double[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                result[i] = values[i];
            }

            return result;
        }

        if (type == typeof(int))
        {
            var values = request.GetOutput<int>(info.Name);
            var result = new double[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                result[i] = values[i];
            }

            return result;
        }

        throw new InvalidDataException($"Output '{info.Name}' has element type {type.Name}; the health gate compares float, double, int32 and int64 outputs.");
    }

    private static double[] ToDoubles(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }
}
