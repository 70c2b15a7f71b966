using System.Buffers.Binary;
using System.Text;

namespace Edge.Optimizer.Tests.Passes.Distill;

/// <summary>Reads an ELF64 library's version requirements independently of the build step, to check what it wrote.</summary>
internal static class ElfVersionNeeds
{
    public static int Flags(byte[] elf, string version)
    {
        var sections = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        var size = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        for (var i = 0; i < count; i++)
        {
            var header = elf.AsSpan(sections + (i * size));
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != 0x6ffffffe)
            {
                continue;
            }

            var offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
            var link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var needs = BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]);
            var strings = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(sections + (link * size) + 0x18));
            for (var n = 0; n < needs; n++)
            {
                var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(offset + 2));
                var aux = offset + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(offset + 8));
                for (var a = 0; a < auxCount; a++)
                {
                    var nameAt = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 8));
                    var name = Encoding.ASCII.GetString(elf, nameAt, Array.IndexOf(elf, (byte)0, nameAt) - nameAt);
                    if (name == version)
                    {
                        return BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(aux + 4));
                    }

                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 12));
                }

                offset += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(offset + 12));
            }
        }

        throw new InvalidDataException($"The library has no {version} requirement.");
    }
}
