using System.Reflection.Metadata;
using Xunit.Abstractions;

namespace Edge.Optimizer.Tests.Passes.Distill.Training;

/// <summary>
/// TorchSharp 0.107 turns a number passed where a <c>Scalar</c> is expected into a temporary finalizable object and
/// hands only its native handle to libtorch, so a garbage collection during that native call can free the scalar
/// while libtorch reads it ("Unknown scalar type", "Expected false to be true" in <c>toFloat</c>, or silently a wrong
/// value). The optimizer's code must therefore never convert implicitly: every scalar is created explicitly and kept
/// alive (<c>using</c>) across its calls. Nor may it call a TorchSharp overload that makes such a temporary inside
/// (<c>a.add(b)</c> is <c>a.add(b, 1)</c>, <c>a + b</c> likewise). These scan the compiled optimizer and TorchSharp.
/// </summary>
public sealed class ScalarLifetimeTests(ITestOutputHelper output)
{
    /// <summary>
    /// TorchSharp methods that take a plain number where libtorch wants a scalar and convert it inside, with the same
    /// unkept temporary: its operators (<c>tensor * 2.0</c>) and the arithmetic, comparison and clamp methods.
    /// </summary>
    private static readonly HashSet<string> ConvertingMethods = new(StringComparer.Ordinal)
    {
        "mul", "mul_", "add", "add_", "sub", "sub_", "div", "div_", "pow", "pow_", "clamp", "clamp_", "clamp_min", "clamp_max",
        "clamp_min_", "clamp_max_", "lt", "le", "gt", "ge", "eq", "ne", "fill_", "addcmul", "addcmul_", "addcdiv", "addcdiv_",
        "masked_fill", "masked_fill_", "where", "full", "full_like", "remainder", "fmod", "maximum", "minimum",
    };

    [Fact]
    public void OptimizerAssembly_NeverConvertsNumbersToScalarsImplicitly()
    {
        using var optimizer = new IlCalls(typeof(Edge.Optimizer.Passes.Distill.DistillPass).Assembly.Location);
        var offenders = optimizer.Calls()
            .Where(c => IsImplicitScalar(optimizer, c.Callee) || IsNumberToScalarOverload(optimizer, c.Callee))
            .Select(c => optimizer.Describe(c.Caller))
            .Distinct()
            .ToList();

        Assert.True(offenders.Count == 0, "implicit number-to-Scalar conversions in: " + string.Join(", ", offenders));
    }

    [Fact]
    public void OptimizerAssembly_CallsNoTorchSharpOverloadThatMakesATemporaryScalar()
    {
        using var optimizer = new IlCalls(typeof(Edge.Optimizer.Passes.Distill.DistillPass).Assembly.Location);
        using var torch = new IlCalls(typeof(TorchSharp.torch).Assembly.Location);
        var temporaries = new TemporaryScalarFinder(torch);
        var checkedCalls = 0;
        var offenders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (caller, callee) in optimizer.Calls())
        {
            if (callee.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            var member = optimizer.Metadata.GetMemberReference((MemberReferenceHandle)callee);
            if (member.Parent.Kind != HandleKind.TypeReference || member.GetKind() != MemberReferenceKind.Method)
            {
                continue;
            }

            var type = optimizer.TypeName((TypeReferenceHandle)member.Parent);
            if (!type.StartsWith("TorchSharp", StringComparison.Ordinal))
            {
                continue;
            }

            var name = optimizer.Metadata.GetString(member.Name);
            var parameters = optimizer.Parameters((MemberReferenceHandle)callee);
            checkedCalls++;
            if (temporaries.Makes(type, name, parameters) is { } path)
            {
                offenders.Add($"{optimizer.Describe(caller)} calls {path}");
            }
        }

        output.WriteLine($"{checkedCalls} calls into TorchSharp checked");
        Assert.True(checkedCalls > 50, $"only {checkedCalls} calls into TorchSharp were found; the scan no longer sees them");
        Assert.True(offenders.Count == 0, "TorchSharp overloads that make a temporary Scalar: " + string.Join("; ", offenders));
    }

    [Fact]
    public void TemporaryScalarFinder_FindsTheOverloadsKnownToMakeOne()
    {
        // The scan above can only fail if the finder sees the temporaries; these TorchSharp 0.107 overloads make one.
        using var torch = new IlCalls(typeof(TorchSharp.torch).Assembly.Location);
        var temporaries = new TemporaryScalarFinder(torch);

        Assert.NotNull(temporaries.Makes("TorchSharp.torch+Tensor", "add", "(TorchSharp.torch+Tensor)"));
        Assert.NotNull(temporaries.Makes("TorchSharp.torch+Tensor", "op_Addition", "(TorchSharp.torch+Tensor, TorchSharp.torch+Tensor)"));
        Assert.Null(temporaries.Makes("TorchSharp.torch+Tensor", "add", "(TorchSharp.torch+Tensor, TorchSharp.Scalar)"));
    }

    private static bool IsImplicitScalar(IlCalls calls, EntityHandle token)
    {
        if (token.Kind != HandleKind.MemberReference)
        {
            return false;
        }

        var member = calls.Metadata.GetMemberReference((MemberReferenceHandle)token);
        return member.Parent.Kind == HandleKind.TypeReference
            && calls.TypeName((TypeReferenceHandle)member.Parent) == "TorchSharp.Scalar"
            && calls.Metadata.GetString(member.Name) == "op_Implicit";
    }

    private static bool IsNumberToScalarOverload(IlCalls calls, EntityHandle token)
    {
        if (token.Kind != HandleKind.MemberReference)
        {
            return false;
        }

        var member = calls.Metadata.GetMemberReference((MemberReferenceHandle)token);
        var name = calls.Metadata.GetString(member.Name);
        if (!(name.StartsWith("op_", StringComparison.Ordinal) && name != "op_Implicit" && name != "op_Explicit") && !ConvertingMethods.Contains(name))
        {
            return false;
        }

        if (member.Parent.Kind != HandleKind.TypeReference || member.GetKind() != MemberReferenceKind.Method
            || !calls.TypeName((TypeReferenceHandle)member.Parent).StartsWith("TorchSharp", StringComparison.Ordinal))
        {
            return false;
        }

        return calls.ParameterTypes((MemberReferenceHandle)token).Any(t => t is "double" or "float" or "int" or "long");
    }
}
