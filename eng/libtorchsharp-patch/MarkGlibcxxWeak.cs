// MSBuild task (compiled by RoslynCodeTaskFactory from eng/libtorchsharp-patch/LibTorchSharpPatch.targets).
//
// Why: TorchSharp 0.107's libLibTorchSharp.so is linked against GCC 13's libstdc++ and records a version
// requirement on GLIBCXX_3.4.32. Debian 12's libstdc++ stops at GLIBCXX_3.4.30, so the dynamic loader refuses the
// library and TorchSharp throws TypeInitializationException. The only symbol bound to GLIBCXX_3.4.32 is
// std::ios_base_library_init, which the library never calls through a relocation (GCC 13 emits the reference only
// to order iostream initialisation). Marking that one requirement VER_FLG_WEAK in .gnu.version_r makes the loader
// accept its absence (glibc's dl-version.c treats a missing weak version as non-fatal) while every other version
// requirement stays strict.
//
// What: for each given file, parse the ELF64 little-endian section headers, find SHT_GNU_verneed, walk the
// Verneed/Vernaux chains, and set vna_flags |= VER_FLG_WEAK (0x2) on the entry named GLIBCXX_3.4.32 only. The task is
// idempotent: a file already patched, or one that does not ask for that version, is left untouched (not rewritten).
// On a system whose libstdc++ has GLIBCXX_3.4.32 the flag changes nothing.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class MarkGlibcxxWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    public string VersionName { get; set; } = "GLIBCXX_3.4.32";

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            try
            {
                var result = Patch(path, VersionName);
                Log.LogMessage(MessageImportance.Normal, $"libtorchsharp-patch: {path}: {result}");
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError($"libtorchsharp-patch: could not mark {VersionName} weak in {path}: {e.Message}");
            }
        }

        return !Log.HasLoggedErrors;
    }

    private static string Patch(string path, string versionName)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }

        if (bytes[4] != 2 || bytes[5] != 1)
        {
            throw new InvalidDataException($"expected ELF64 little-endian (class 2, data 1) but found class {bytes[4]}, data {bytes[5]}");
        }

        var sectionHeaders = checked((long)U64(bytes, 0x28));
        var entrySize = U16(bytes, 0x3A);
        var count = U16(bytes, 0x3C);
        for (var i = 0; i < count; i++)
        {
            var header = sectionHeaders + ((long)i * entrySize);
            if (U32(bytes, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            var offset = checked((long)U64(bytes, header + 0x18));
            var link = U32(bytes, header + 0x28);
            var needCount = U32(bytes, header + 0x2C);
            var strings = checked((long)U64(bytes, sectionHeaders + ((long)link * entrySize) + 0x18));
            var changed = false;
            var found = false;
            var need = offset;
            for (var n = 0; n < needCount; n++)
            {
                var auxCount = U16(bytes, need + 2);
                var aux = need + U32(bytes, need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    if (Name(bytes, strings + U32(bytes, aux + 8)) == versionName)
                    {
                        found = true;
                        var flags = U16(bytes, aux + 4);
                        if ((flags & VerFlagWeak) == 0)
                        {
                            var patched = (ushort)(flags | VerFlagWeak);
                            bytes[aux + 4] = (byte)patched;
                            bytes[aux + 5] = (byte)(patched >> 8);
                            changed = true;
                        }
                    }

                    aux += U32(bytes, aux + 12);
                }

                need += U32(bytes, need + 12);
            }

            if (!found)
            {
                return $"no {versionName} requirement; left as is";
            }

            if (!changed)
            {
                return $"{versionName} already weak";
            }

            // Write to a sibling file and move it over the original so a crash never leaves a half-written library.
            var temporary = path + ".patching";
            File.WriteAllBytes(temporary, bytes);
            File.Replace(temporary, path, destinationBackupFileName: null);
            return $"marked {versionName} weak";
        }

        return "no .gnu.version_r section; left as is";
    }

    private static ushort U16(byte[] b, long at) => (ushort)(b[at] | (b[at + 1] << 8));

    private static uint U32(byte[] b, long at) => (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));

    private static ulong U64(byte[] b, long at) => U32(b, at) | ((ulong)U32(b, at + 4) << 32);

    private static string Name(byte[] b, long at)
    {
        var end = at;
        while (b[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
    }
}
