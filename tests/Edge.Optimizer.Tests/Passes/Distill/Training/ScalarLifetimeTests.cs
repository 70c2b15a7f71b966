using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Edge.Optimizer.Tests.Passes.Distill.Training;

/// <summary>
/// TorchSharp 0.107 turns a number passed where a <c>Scalar</c> is expected into a temporary finalizable object and
/// hands only its native handle to libtorch, so a garbage collection during that native call can free the scalar
/// while libtorch reads it ("Unknown scalar type", or silently a wrong value). The optimizer's code must therefore
/// never convert implicitly: every scalar is created explicitly and kept alive (<c>using</c>) across its calls.
/// This scans the compiled optimizer for the conversion calls.
/// </summary>
public sealed class ScalarLifetimeTests
{
    [Fact]
    public void OptimizerAssembly_NeverConvertsNumbersToScalarsImplicitly()
    {
        var path = typeof(Edge.Optimizer.Passes.Distill.DistillPass).Assembly.Location;
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var offenders = new List<string>();
        foreach (var handle in metadata.MethodDefinitions)
        {
            var method = metadata.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0)
            {
                continue;
            }

            var reader = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
            while (reader.RemainingBytes > 0)
            {
                var opcode = ReadOpCode(ref reader);
                if (opcode is 0x28 or 0x6F) // call, callvirt
                {
                    var token = MetadataTokens.EntityHandle(reader.ReadInt32());
                    if (IsImplicitScalar(metadata, token) || IsNumberToScalarOverload(metadata, token))
                    {
                        var type = metadata.GetTypeDefinition(method.GetDeclaringType());
                        offenders.Add($"{metadata.GetString(type.Name)}.{metadata.GetString(method.Name)}");
                    }
                }
                else
                {
                    SkipOperand(ref reader, opcode);
                }
            }
        }

        Assert.True(offenders.Count == 0, "implicit number-to-Scalar conversions in: " + string.Join(", ", offenders.Distinct()));
    }

    private static bool IsImplicitScalar(MetadataReader metadata, EntityHandle token)
    {
        if (token.Kind != HandleKind.MemberReference)
        {
            return false;
        }

        var member = metadata.GetMemberReference((MemberReferenceHandle)token);
        if (member.Parent.Kind != HandleKind.TypeReference)
        {
            return false;
        }

        var parent = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
        return metadata.GetString(parent.Name) == "Scalar" && metadata.GetString(parent.Namespace) == "TorchSharp" && metadata.GetString(member.Name) == "op_Implicit";
    }

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

    private static bool IsNumberToScalarOverload(MetadataReader metadata, EntityHandle token)
    {
        if (token.Kind != HandleKind.MemberReference)
        {
            return false;
        }

        var member = metadata.GetMemberReference((MemberReferenceHandle)token);
        var name = metadata.GetString(member.Name);
        if (!(name.StartsWith("op_", StringComparison.Ordinal) && name != "op_Implicit" && name != "op_Explicit") && !ConvertingMethods.Contains(name))
        {
            return false;
        }

        var parentNamespace = member.Parent.Kind switch
        {
            HandleKind.TypeReference => TypeNamespace(metadata, (TypeReferenceHandle)member.Parent),
            _ => null,
        };
        if (parentNamespace is null || !parentNamespace.StartsWith("TorchSharp", StringComparison.Ordinal) || member.GetKind() != MemberReferenceKind.Method)
        {
            return false;
        }

        var signature = member.DecodeMethodSignature(new PrimitiveNames(), null);
        return signature.ParameterTypes.Any(t => t is "double" or "float" or "int" or "long");
    }

    /// <summary>The namespace of a type reference, following nesting (torch.Tensor is nested in torch).</summary>
    private static string TypeNamespace(MetadataReader metadata, TypeReferenceHandle handle)
    {
        var type = metadata.GetTypeReference(handle);
        return type.ResolutionScope.Kind == HandleKind.TypeReference
            ? TypeNamespace(metadata, (TypeReferenceHandle)type.ResolutionScope)
            : metadata.GetString(type.Namespace);
    }

    private static int ReadOpCode(ref BlobReader reader)
    {
        int b = reader.ReadByte();
        return b == 0xFE ? 0xFE00 | reader.ReadByte() : b;
    }

    /// <summary>Skips an instruction's operand (ECMA-335 III): sizes by opcode.</summary>
    private static void SkipOperand(ref BlobReader reader, int opcode)
    {
        switch (opcode)
        {
            case 0x0E or 0x0F or 0x10 or 0x11 or 0x12 or 0x13 or 0x1F or 0xDE:
            case >= 0x2B and <= 0x37:
                reader.Offset += 1;
                break;
            case 0x20 or 0x22 or 0x29 or 0xDD:
            case >= 0x38 and <= 0x44:
            case 0x27 or 0x70 or 0x71 or 0x72 or 0x73 or 0x74 or 0x75 or 0x79 or 0x7B or 0x7C or 0x7D or 0x7E or 0x7F or 0x80 or 0x81 or 0x8C or 0x8D or 0x8F or 0xA3 or 0xA4 or 0xA5 or 0xC2 or 0xC6 or 0xD0 or 0xD1:
            case 0xFE06 or 0xFE07 or 0xFE15 or 0xFE16 or 0xFE1C or 0xFE1D:
                reader.Offset += 4;
                break;
            case 0x21 or 0x23:
                reader.Offset += 8;
                break;
            case 0x45:
                var count = reader.ReadInt32();
                reader.Offset += 4 * count;
                break;
            case 0xFE09 or 0xFE0A or 0xFE0B or 0xFE0C or 0xFE0D or 0xFE0E:
                reader.Offset += 2;
                break;
            case 0xFE12:
                reader.Offset += 1;
                break;
        }
    }

    /// <summary>Names the primitive types of a signature and nothing else, enough to spot number parameters.</summary>
    private sealed class PrimitiveNames : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Double => "double",
            PrimitiveTypeCode.Single => "float",
            PrimitiveTypeCode.Int32 => "int",
            PrimitiveTypeCode.Int64 => "long",
            _ => typeCode.ToString(),
        };

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetGenericInstantiation(string genericType, System.Collections.Immutable.ImmutableArray<string> typeArguments) => genericType + "<>";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType) => elementType;

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => "type";

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => "type";

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => "type";
    }
}
