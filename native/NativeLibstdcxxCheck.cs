// MSBuild task (compiled by RoslynCodeTaskFactory from Directory.Build.targets; no package, no
// binary in the repository). Runs on Linux after the native libraries are copied into a build
// output folder and compares what each ELF library there needs from libstdc++.so.6 with what the
// libstdc++ this machine's loader will use provides.
//
// - Everything provided: nothing is written (machines with GCC 13+'s libstdc++).
// - The only missing version is GLIBCXX_3.4.32 and the only symbol bound to it is
//   std::ios_base_library_init() as an undefined symbol that no relocation uses: the copy in the
//   output folder gets that one version need marked weak (VER_FLG_WEAK), so the loader no longer
//   refuses the library. The NuGet cache is never written (the patched file replaces the copy by
//   rename). Why this is safe is in docs/setup.md ("libstdc++").
// - Anything else missing: a build error naming the library, the versions and the symbols.
//
// TorchSharp 0.107's libLibTorchSharp.so is built with GCC 15's headers. Since GCC 13, <iostream>
// no longer puts a static std::ios_base::Init into every translation unit: libstdc++ initialises
// the standard streams itself, and the header only emits `.globl _ZSt21ios_base_library_initv`
// so that the object file records a need for GLIBCXX_3.4.32 (the libstdc++ that does so). The
// symbol is an alias of std::ios_base::Init::Init() and is never called through that reference.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class NativeLibstdcxxCheck : Task
{
    /// <summary>Folder whose *.so and *.so.* files are checked (not recursive).</summary>
    [Required] public string Directory { get; set; } = "";

    /// <summary>The libstdc++.so.6 to compare with; empty: the one the loader would pick.</summary>
    public string SystemLibstdcxx { get; set; } = "";

    const string Soname = "libstdc++.so.6";
    const string RelaxableVersion = "GLIBCXX_3.4.32";
    const string RelaxableSymbol = "_ZSt21ios_base_library_initv";
    const ushort VerFlgWeak = 0x2;
    const uint ShtRela = 4, ShtRel = 9, ShtDynsym = 11;
    const uint ShtVerdef = 0x6ffffffd, ShtVerneed = 0x6ffffffe, ShtVersym = 0x6fffffff;

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        Directory = Path.GetFullPath(Directory); // messages name whole paths
        string lib = string.IsNullOrEmpty(SystemLibstdcxx) ? FindSystemLibstdcxx() : SystemLibstdcxx;
        if (lib == null || !File.Exists(lib))
        {
            Log.LogMessage(MessageImportance.Low, "native libstdc++ check: no {0} found; nothing checked", Soname);
            return true;
        }
        HashSet<string> provided;
        try
        {
            using Elf sys = Elf.Open(lib) ?? throw new InvalidDataException("not a 64-bit little-endian ELF file");
            provided = new HashSet<string>(sys.DefinedVersions());
        }
        catch (Exception e)
        {
            Log.LogMessage(MessageImportance.Low, "native libstdc++ check: cannot read {0}: {1}", lib, e.Message);
            return true;
        }
        if (provided.Contains(RelaxableVersion))
        {
            Log.LogMessage(MessageImportance.Low, "native libstdc++ check: {0} provides {1}; nothing to do", lib, RelaxableVersion);
            return true;
        }

        var files = System.IO.Directory.GetFiles(Directory)
            .Where(f => { var n = Path.GetFileName(f); return n.EndsWith(".so", StringComparison.Ordinal) || n.Contains(".so."); })
            .OrderBy(f => f, StringComparer.Ordinal);
        foreach (string file in files)
        {
            try { CheckFile(file, lib, provided); }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogWarning("native libstdc++ check: cannot read {0}: {1}", file, e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    void CheckFile(string file, string lib, HashSet<string> provided)
    {
        using Elf elf = Elf.Open(file);
        if (elf == null) return; // not a 64-bit little-endian ELF file
        var needs = elf.VersionNeeds().Where(n => n.File == Soname && !provided.Contains(n.Name)).ToList();
        if (needs.Count == 0) return;

        var names = string.Join(", ", needs.Select(n => n.Name));
        var byIndex = elf.SymbolsByVersionIndex();
        string Symbols(VersionNeed n) => byIndex.TryGetValue(n.Index, out var s) ? string.Join(", ", s.Select(x => x.Name)) : "none";

        if (needs.Count == 1 && needs[0].Name == RelaxableVersion)
        {
            VersionNeed need = needs[0];
            if ((need.Flags & VerFlgWeak) != 0)
            {
                Log.LogMessage(MessageImportance.Low, "native libstdc++ check: {0}: need for {1} already marked weak", file, need.Name);
                return;
            }
            byIndex.TryGetValue(need.Index, out var bound);
            bound ??= new List<Symbol>();
            var relocated = elf.RelocatedSymbolIndexes();
            bool onlyTheMarker = bound.Count == 1 && bound[0].Name == RelaxableSymbol && bound[0].Undefined && !relocated.Contains(bound[0].Index);
            if (onlyTheMarker)
            {
                WeakenNeed(file, need.FlagsOffset, (ushort)(need.Flags | VerFlgWeak));
                Log.LogMessage(MessageImportance.High,
                    "native libstdc++ check: {0}: marked its need for {1} weak ({2} lacks it; its only symbol, std::ios_base_library_init, is never called). See docs/setup.md.",
                    file, need.Name, lib);
                return;
            }
        }
        Log.LogError(
            "{0} needs {1} from {2} (symbols: {3}), which {4} does not provide. Install a libstdc++6 from GCC 13 or newer "
            + "(see docs/setup.md), or build with -p:AemNativeLibstdcxxCheck=false to skip this check.",
            file, names, Soname, string.Join("; ", needs.Select(n => n.Name + ": " + Symbols(n))), lib);
    }

    // Writes a patched copy next to the file and renames it over the file, so a hard link into the
    // NuGet cache (if the copy was one) is replaced, never written through. The time stamp is kept so
    // that MSBuild's incremental copy sees an unchanged file and does not copy the original back.
    static void WeakenNeed(string file, long offset, ushort flags)
    {
        string tmp = file + ".aem-tmp";
        File.Copy(file, tmp, true);
        using (var fs = new FileStream(tmp, FileMode.Open, FileAccess.ReadWrite))
        {
            fs.Position = offset;
            fs.WriteByte((byte)(flags & 0xff));
            fs.WriteByte((byte)(flags >> 8));
        }
        File.SetLastWriteTimeUtc(tmp, File.GetLastWriteTimeUtc(file));
        File.Replace(tmp, file, null); // rename(2) on Linux
    }

    // LD_LIBRARY_PATH first, then the loader cache (ldconfig -p), then the usual multiarch paths.
    static string FindSystemLibstdcxx()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':'))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, Soname))) return Path.Combine(dir, Soname);
        }
        string tag = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "x86-64",
            System.Runtime.InteropServices.Architecture.Arm64 => "AArch64",
            _ => "",
        };
        foreach (string ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig" })
        {
            if (!File.Exists(ldconfig)) continue;
            try
            {
                var psi = new ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                using var p = Process.Start(psi);
                string output = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                foreach (string line in output.Split('\n'))
                {
                    string t = line.Trim();
                    int arrow = t.IndexOf("=> ", StringComparison.Ordinal);
                    if (!t.StartsWith(Soname + " ", StringComparison.Ordinal) || arrow < 0) continue;
                    if (tag.Length > 0 && !t.Contains(tag)) continue;
                    string path = t.Substring(arrow + 3).Trim();
                    if (File.Exists(path)) return path;
                }
            }
            catch (Exception) { }
            break;
        }
        foreach (string path in new[] { "/usr/lib/x86_64-linux-gnu/", "/lib/x86_64-linux-gnu/", "/usr/lib/aarch64-linux-gnu/", "/lib/aarch64-linux-gnu/", "/usr/lib64/", "/usr/lib/" })
        {
            if (File.Exists(path + Soname)) return path + Soname;
        }
        return null;
    }

    class VersionNeed
    {
        public string File = "", Name = "";
        public ushort Flags, Index;
        public long FlagsOffset;
    }

    class Symbol
    {
        public string Name = "";
        public int Index;
        public bool Undefined;
    }

    // Just enough of ELF64 (little-endian) to read the dynamic symbols, their versions and the
    // relocations, by section header.
    sealed class Elf : IDisposable
    {
        readonly FileStream fs;
        readonly List<(uint Type, long Offset, long Size, uint Link, long EntSize)> sections = new();

        Elf(FileStream fs) { this.fs = fs; }

        public void Dispose() => fs.Dispose();

        public static Elf Open(string path)
        {
            var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var elf = new Elf(fs);
            byte[] h = elf.Read(0, 64);
            if (h.Length < 64 || h[0] != 0x7f || h[1] != (byte)'E' || h[2] != (byte)'L' || h[3] != (byte)'F' || h[4] != 2 || h[5] != 1)
            {
                fs.Dispose();
                return null;
            }
            long shoff = BitConverter.ToInt64(h, 0x28);
            int shentsize = BitConverter.ToUInt16(h, 0x3A), shnum = BitConverter.ToUInt16(h, 0x3C);
            if (shoff <= 0 || shentsize < 64 || shnum == 0) throw new InvalidDataException("no section headers");
            byte[] sh = elf.Read(shoff, shentsize * shnum);
            for (int i = 0; i < shnum; i++)
            {
                int o = i * shentsize;
                elf.sections.Add((BitConverter.ToUInt32(sh, o + 4), BitConverter.ToInt64(sh, o + 0x18), BitConverter.ToInt64(sh, o + 0x20),
                                  BitConverter.ToUInt32(sh, o + 0x28), BitConverter.ToInt64(sh, o + 0x38)));
            }
            return elf;
        }

        byte[] Read(long offset, long size)
        {
            if (offset < 0 || size < 0 || offset + size > fs.Length) throw new InvalidDataException("section outside the file");
            var buf = new byte[size];
            fs.Position = offset;
            int done = 0;
            while (done < size)
            {
                int n = fs.Read(buf, done, (int)size - done);
                if (n <= 0) throw new EndOfStreamException();
                done += n;
            }
            return buf;
        }

        byte[] Section(int i) => Read(sections[i].Offset, sections[i].Size);

        static string Str(byte[] strtab, long at)
        {
            int end = (int)at;
            while (end < strtab.Length && strtab[end] != 0) end++;
            return Encoding.ASCII.GetString(strtab, (int)at, end - (int)at);
        }

        int Find(uint type) => sections.FindIndex(s => s.Type == type);

        public IEnumerable<string> DefinedVersions()
        {
            int i = Find(ShtVerdef);
            if (i < 0) yield break;
            byte[] d = Section(i), str = Section((int)sections[i].Link);
            for (int o = 0; o + 20 <= d.Length;)
            {
                int aux = o + (int)BitConverter.ToUInt32(d, o + 12);
                yield return Str(str, BitConverter.ToUInt32(d, aux));
                uint next = BitConverter.ToUInt32(d, o + 16);
                if (next == 0) break;
                o += (int)next;
            }
        }

        public List<VersionNeed> VersionNeeds()
        {
            var result = new List<VersionNeed>();
            int i = Find(ShtVerneed);
            if (i < 0) return result;
            byte[] d = Section(i), str = Section((int)sections[i].Link);
            for (int o = 0; o + 16 <= d.Length;)
            {
                string file = Str(str, BitConverter.ToUInt32(d, o + 4));
                int cnt = BitConverter.ToUInt16(d, o + 2);
                int a = o + (int)BitConverter.ToUInt32(d, o + 8);
                for (int k = 0; k < cnt && a + 16 <= d.Length; k++)
                {
                    result.Add(new VersionNeed
                    {
                        File = file,
                        Flags = BitConverter.ToUInt16(d, a + 4),
                        Index = (ushort)(BitConverter.ToUInt16(d, a + 6) & 0x7fff),
                        Name = Str(str, BitConverter.ToUInt32(d, a + 8)),
                        FlagsOffset = sections[i].Offset + a + 4,
                    });
                    uint nextAux = BitConverter.ToUInt32(d, a + 12);
                    if (nextAux == 0) break;
                    a += (int)nextAux;
                }
                uint next = BitConverter.ToUInt32(d, o + 12);
                if (next == 0) break;
                o += (int)next;
            }
            return result;
        }

        public Dictionary<ushort, List<Symbol>> SymbolsByVersionIndex()
        {
            var result = new Dictionary<ushort, List<Symbol>>();
            int ds = Find(ShtDynsym), vs = Find(ShtVersym);
            if (ds < 0 || vs < 0) return result;
            byte[] syms = Section(ds), str = Section((int)sections[ds].Link), versym = Section(vs);
            int count = Math.Min(syms.Length / 24, versym.Length / 2);
            for (int k = 0; k < count; k++)
            {
                ushort ver = (ushort)(BitConverter.ToUInt16(versym, 2 * k) & 0x7fff);
                if (ver < 2) continue; // local or unversioned
                if (!result.TryGetValue(ver, out var list)) result[ver] = list = new List<Symbol>();
                list.Add(new Symbol { Index = k, Name = Str(str, BitConverter.ToUInt32(syms, 24 * k)), Undefined = BitConverter.ToUInt16(syms, 24 * k + 6) == 0 });
            }
            return result;
        }

        // Indexes of the dynamic symbols any relocation refers to (all REL/RELA sections tied to .dynsym).
        public HashSet<int> RelocatedSymbolIndexes()
        {
            var result = new HashSet<int>();
            int ds = Find(ShtDynsym);
            for (int i = 0; i < sections.Count; i++)
            {
                var s = sections[i];
                if ((s.Type != ShtRela && s.Type != ShtRel) || s.Link != ds) continue;
                int entsize = s.Type == ShtRela ? 24 : 16;
                byte[] r = Section(i);
                for (int o = 0; o + entsize <= r.Length; o += entsize) result.Add((int)(BitConverter.ToUInt64(r, o + 8) >> 32));
            }
            return result;
        }
    }
}
