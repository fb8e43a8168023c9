using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Runs;

/// <summary>
/// The one checkpoint store, for every kind of model. A checkpoint is one directory:
/// <c>model.bin</c> (TorchSharp weights and buffers), optionally <c>optimizer.bin</c> (Adam moments),
/// and <c>run.json</c>, the run's record (<see cref="RunFile"/> for an AEM) with SHA-256 sums of the other
/// files. It is written under a temporary name and renamed into place, so a reader never sees a
/// half-written checkpoint; readers retry a read that overlaps a replacement.
/// </summary>
internal static class CheckpointStore
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Files, not HTML: keep apostrophes and symbols such as p̂ readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes <paramref name="model"/>'s weights, the optimiser state (if any) and the record that
    /// <paramref name="record"/> makes from the files' checksums and the weights' dtype into a temporary
    /// directory that then replaces <paramref name="directory"/>.
    /// </summary>
    public static void Save<TRecord>(
        string directory,
        nn.Module model,
        optim.Optimizer? optimizer,
        Func<IReadOnlyDictionary<string, string>, string, TRecord> record)
    {
        string full = Path.GetFullPath(directory);
        string parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        string temporary = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            model.save(Path.Combine(temporary, RunLayout.ModelFile));
            if (optimizer is OptimizerHelper helper) helper.save_state_dict(Path.Combine(temporary, RunLayout.OptimizerFile));
            var files = Directory.GetFiles(temporary).ToDictionary(f => Path.GetFileName(f), Sha256, StringComparer.Ordinal);
            var dtype = model.parameters().First().dtype == ScalarType.Float64 ? "float64" : "float32";
            WriteAllTextDurably(Path.Combine(temporary, RunLayout.RecordFile), JsonSerializer.Serialize(record(files, dtype), Json));
            Replace(temporary, full);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Reads and verifies the record of the checkpoint in <paramref name="directory"/>, which must be of <paramref name="kind"/>.</summary>
    public static TRecord ReadRecord<TRecord>(string directory, string kind)
        where TRecord : class, ICheckpointRecord =>
        ReadConsistently(directory, dir => ReadRecordAt<TRecord>(dir, kind), dispose: null);

    /// <summary>
    /// Loads a model made by <paramref name="create"/> from the record, with the checkpoint's weights, in
    /// eval mode on <paramref name="device"/>, together with the record it was saved with.
    /// </summary>
    public static (TModel Model, TRecord Record) Load<TModel, TRecord>(string directory, string kind, Func<TRecord, TModel> create, Device? device)
        where TModel : nn.Module
        where TRecord : class, ICheckpointRecord =>
        ReadConsistently(directory, dir =>
        {
            var record = ReadRecordAt<TRecord>(dir, kind);
            var model = create(record);
            if (record.DType == "float64") model.to(float64);
            try
            {
                model.load(Path.Combine(dir, RunLayout.ModelFile));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                model.Dispose();
                throw new CheckpointException($"{Path.Combine(dir, RunLayout.ModelFile)}: the weights do not match the recorded architecture ({e.Message}).", e);
            }
            if (device is not null) model.to(device);
            model.eval();
            return (model, record);
        }, dispose: loaded => loaded.model.Dispose());

    /// <summary>Restores the optimiser moments saved with a resumable checkpoint.</summary>
    public static void LoadOptimizer(string directory, optim.Optimizer optimizer)
    {
        string path = Path.Combine(Resolve(directory), RunLayout.OptimizerFile);
        if (!File.Exists(path)) throw new CheckpointException($"{path}: this checkpoint has no optimiser state, so training cannot resume from it.");
        if (optimizer is not OptimizerHelper helper) throw new NotSupportedException("Only TorchSharp's managed optimisers can be restored.");
        helper.load_state_dict(path);
    }

    /// <summary>
    /// The directory to read: <paramref name="directory"/> itself, or the backup left if a process died
    /// between the two renames of <see cref="Replace"/>. A checkpoint of the earlier format is refused by name.
    /// </summary>
    public static string Resolve(string directory)
    {
        string full = Path.GetFullPath(directory);
        if (File.Exists(Path.Combine(full, RunLayout.RecordFile))) return full;
        string backup = BackupName(full);
        if (File.Exists(Path.Combine(backup, RunLayout.RecordFile))) return backup;
        if (File.Exists(Path.Combine(full, RunLayout.FormatOneManifest)))
        {
            throw new CheckpointException(
                $"{directory}: a checkpoint of format 1 (manifest.json), written by an earlier aem; this version reads format {RunFile.CurrentFormatVersion} (run.json). " +
                "Train the model again with this version, or read it with the version that wrote it.");
        }
        throw new CheckpointException($"{directory}: no checkpoint here (no {RunLayout.RecordFile}).");
    }

    /// <summary>True if <paramref name="directory"/> holds a checkpoint (of any format) or its backup.</summary>
    public static bool Exists(string directory)
    {
        string full = Path.GetFullPath(directory);
        return File.Exists(Path.Combine(full, RunLayout.RecordFile)) || File.Exists(Path.Combine(BackupName(full), RunLayout.RecordFile))
            || File.Exists(Path.Combine(full, RunLayout.FormatOneManifest));
    }

    /// <summary>
    /// Runs <paramref name="read"/> on one consistent version of a checkpoint that a trainer may be
    /// replacing meanwhile (`aem evaluate` on a run that is still training). The record is read before
    /// and after; if it changed, the read straddled a replacement — its failure (a checksum mismatch, a
    /// file gone) or its result (weights newer than the record) is discarded and the read repeated. A
    /// failure with an unchanged record is a real fault and is reported at once.
    /// </summary>
    internal static T ReadConsistently<T>(string directory, Func<string, T> read, Action<T>? dispose)
    {
        const int attempts = 20;
        for (int attempt = 1; ; attempt++)
        {
            string? before = RecordStamp(directory);
            T result;
            try
            {
                result = read(Resolve(directory));
            }
            catch (Exception e) when (attempt < attempts && e is CheckpointException or IOException && !Unchanged(before, RecordStamp(directory)))
            {
                Thread.Sleep(10 * attempt);
                continue;
            }
            if (attempt == attempts || Unchanged(before, RecordStamp(directory))) return result;
            dispose?.Invoke(result);
        }
    }

    // A stamp that could not be read (a file deleted mid-read) proves nothing, so it never counts as unchanged.
    private static bool Unchanged(string? before, string? after) => before is not null && before == after;

    // The resolved directory and its record's text: changes whenever the checkpoint is replaced (each
    // record carries its save time). "none" where there is no checkpoint at all (then a failed read is
    // final); null while a replacement makes the record briefly unreadable.
    private static string? RecordStamp(string directory)
    {
        string dir;
        try
        {
            dir = Resolve(directory);
        }
        catch (CheckpointException)
        {
            return "none";
        }
        try
        {
            return dir + "\n" + File.ReadAllText(Path.Combine(dir, RunLayout.RecordFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static TRecord ReadRecordAt<TRecord>(string dir, string kind)
        where TRecord : class, ICheckpointRecord
    {
        string path = Path.Combine(dir, RunLayout.RecordFile);
        TRecord? record;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            int format = root.TryGetProperty(nameof(ICheckpointRecord.FormatVersion), out var f) && f.TryGetInt32(out int v) ? v : 0;
            if (format != RunFile.CurrentFormatVersion)
            {
                throw new CheckpointException($"{path}: checkpoint format {format} is not supported (this build reads format {RunFile.CurrentFormatVersion}).");
            }
            string? found = root.TryGetProperty(nameof(ICheckpointRecord.Kind), out var k) ? k.GetString() : null;
            if (!string.Equals(found, kind, StringComparison.Ordinal))
            {
                throw new CheckpointException($"{path}: not a{Article(kind)} {kind.ToUpperInvariant()} checkpoint (it holds {(found is null ? "an unknown model" : $"a{Article(found)} {found.ToUpperInvariant()} model")}).");
            }
            record = document.Deserialize<TRecord>(Json);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException or InvalidOperationException)
        {
            throw new CheckpointException($"{path}: unreadable run record ({e.Message}).", e);
        }
        if (record is null) throw new CheckpointException($"{path}: empty run record.");
        VerifyFiles(dir, record.Files);
        return record;
    }

    // "an AEM", "a VAE".
    private static string Article(string kind) => kind.StartsWith('a') ? "n" : "";

    /// <summary>Checks that every file a record lists is present with its recorded SHA-256.</summary>
    private static void VerifyFiles(string directory, IReadOnlyDictionary<string, string> files)
    {
        foreach (var (file, expected) in files)
        {
            string filePath = Path.Combine(directory, file);
            if (!File.Exists(filePath)) throw new CheckpointException($"{filePath}: missing from the checkpoint.");
            if (!string.Equals(Sha256(filePath), expected, StringComparison.Ordinal))
            {
                throw new CheckpointException($"{filePath}: checksum mismatch; the checkpoint is truncated or was modified.");
            }
        }
        if (!files.ContainsKey(RunLayout.ModelFile)) throw new CheckpointException($"{directory}: the record lists no {RunLayout.ModelFile}.");
    }

    private static string BackupName(string full) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.old");

    private static void Replace(string temporary, string target)
    {
        string backup = BackupName(target);
        TryDelete(backup);
        if (Directory.Exists(target)) Directory.Move(target, backup);
        Directory.Move(temporary, target);
        TryDelete(backup);
    }

    private static void WriteAllTextDurably(string path, string text)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write(text);
        stream.Flush(flushToDisk: true);
    }

    internal static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>What every run record has, whatever the model: the store checks format, kind, dtype and files.</summary>
internal interface ICheckpointRecord
{
    int FormatVersion { get; }

    string Kind { get; }

    string DType { get; }

    IReadOnlyDictionary<string, string> Files { get; }
}
