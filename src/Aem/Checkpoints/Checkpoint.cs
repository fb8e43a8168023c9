using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aem.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Checkpoints;

/// <summary>
/// A checkpoint is one directory: <c>model.bin</c> (TorchSharp weights and buffers), optionally
/// <c>optimizer.bin</c> (Adam moments), and <c>manifest.json</c>. It is written under a temporary
/// name and renamed into place, so a reader never sees a half-written checkpoint.
/// </summary>
public static class Checkpoint
{
    public const string ManifestFile = "manifest.json";
    public const string ModelFile = "model.bin";
    public const string OptimizerFile = "optimizer.bin";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes a checkpoint to <paramref name="directory"/>, replacing any there atomically.</summary>
    public static void Save(string directory, AutoregressiveEnergyMachine model, optim.Optimizer? optimizer, CheckpointManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        WriteDirectory(directory, model, optimizer, (files, dtype) =>
            JsonSerializer.Serialize(manifest with { Files = files, DType = dtype, SavedAt = DateTimeOffset.UtcNow }, Json));
    }

    /// <summary>
    /// Writes <paramref name="model"/>'s weights, the optimiser state (if any) and the manifest that
    /// <paramref name="manifestJson"/> makes from the files' checksums and the weights' dtype, into a
    /// temporary directory that then replaces <paramref name="directory"/>. Shared by every kind of checkpoint.
    /// </summary>
    internal static void WriteDirectory(
        string directory,
        nn.Module model,
        optim.Optimizer? optimizer,
        Func<IReadOnlyDictionary<string, string>, string, string> manifestJson)
    {
        string full = Path.GetFullPath(directory);
        string parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        string temporary = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            model.save(Path.Combine(temporary, ModelFile));
            if (optimizer is OptimizerHelper helper) helper.save_state_dict(Path.Combine(temporary, OptimizerFile));
            var files = Directory.GetFiles(temporary).ToDictionary(f => Path.GetFileName(f), Sha256, StringComparer.Ordinal);
            var dtype = model.parameters().First().dtype == ScalarType.Float64 ? "float64" : "float32";
            WriteAllTextDurably(Path.Combine(temporary, ManifestFile), manifestJson(files, dtype));
            Replace(temporary, full);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Checks that every file a manifest lists is present with its recorded SHA-256.</summary>
    internal static void VerifyFiles(string directory, IReadOnlyDictionary<string, string> files)
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
        if (!files.ContainsKey(ModelFile)) throw new CheckpointException($"{directory}: the manifest lists no {ModelFile}.");
    }

    /// <summary>
    /// Reads and verifies the manifest of the checkpoint in <paramref name="directory"/>. A read that
    /// overlaps a trainer replacing the checkpoint is retried (see <see cref="ReadConsistently{T}"/>).
    /// </summary>
    public static CheckpointManifest ReadManifest(string directory) => ReadConsistently(directory, ReadManifestAt, dispose: null);

    /// <summary>Loads a model (in eval mode) and its manifest from <paramref name="directory"/>.</summary>
    public static (AutoregressiveEnergyMachine Model, CheckpointManifest Manifest) Load(string directory, Device? device = null) =>
        ReadConsistently(directory, dir => LoadAt(dir, device), dispose: loaded => loaded.Model.Dispose());

    /// <summary>
    /// Runs <paramref name="read"/> on one consistent version of a checkpoint that a trainer may be
    /// replacing meanwhile (`aem evaluate` on a run that is still training). The manifest is read
    /// before and after; if it changed, the read straddled a replacement — its failure (a checksum
    /// mismatch, a file gone) or its result (weights newer than the manifest) is discarded and the
    /// read repeated. A failure with an unchanged manifest is a real fault and is reported at once.
    /// </summary>
    internal static T ReadConsistently<T>(string directory, Func<string, T> read, Action<T>? dispose)
    {
        const int attempts = 20;
        for (int attempt = 1; ; attempt++)
        {
            string? before = ManifestStamp(directory);
            T result;
            try
            {
                result = read(Resolve(directory));
            }
            catch (Exception e) when (attempt < attempts && e is CheckpointException or IOException && !Unchanged(before, ManifestStamp(directory)))
            {
                Thread.Sleep(10 * attempt);
                continue;
            }
            if (attempt == attempts || Unchanged(before, ManifestStamp(directory))) return result;
            dispose?.Invoke(result);
        }
    }

    // A stamp that could not be read (a file deleted mid-read) proves nothing, so it never counts as unchanged.
    private static bool Unchanged(string? before, string? after) => before is not null && before == after;

    // The resolved directory and its manifest's text: changes whenever the checkpoint is replaced
    // (each manifest carries its save time). "none" where there is no checkpoint at all (then a
    // failed read is final); null while a replacement makes the manifest briefly unreadable.
    private static string? ManifestStamp(string directory)
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
            return dir + "\n" + File.ReadAllText(Path.Combine(dir, ManifestFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static CheckpointManifest ReadManifestAt(string dir)
    {
        string path = Path.Combine(dir, ManifestFile);
        CheckpointManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(path), Json);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new CheckpointException($"{path}: unreadable checkpoint manifest ({e.Message}).", e);
        }
        if (manifest is null) throw new CheckpointException($"{path}: empty checkpoint manifest.");
        if (manifest.FormatVersion != CheckpointManifest.CurrentFormatVersion)
        {
            throw new CheckpointException(
                $"{path}: checkpoint format {manifest.FormatVersion} is not supported (this build reads format {CheckpointManifest.CurrentFormatVersion}).");
        }
        VerifyFiles(dir, manifest.Files);
        return manifest;
    }

    private static (AutoregressiveEnergyMachine Model, CheckpointManifest Manifest) LoadAt(string dir, Device? device)
    {
        var manifest = ReadManifestAt(dir);
        var model = new AutoregressiveEnergyMachine(manifest.Model);
        if (manifest.DType == "float64") model.to(float64);
        try
        {
            model.load(Path.Combine(dir, ModelFile));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            model.Dispose();
            throw new CheckpointException($"{Path.Combine(dir, ModelFile)}: the weights do not match the manifest's architecture ({e.Message}).", e);
        }
        if (device is not null) model.to(device);
        model.eval();
        return (model, manifest);
    }

    /// <summary>Restores optimiser moments saved with the checkpoint, if any.</summary>
    public static void LoadOptimizer(string directory, optim.Optimizer optimizer)
    {
        string path = Path.Combine(Resolve(directory), OptimizerFile);
        if (!File.Exists(path)) throw new CheckpointException($"{path}: this checkpoint has no optimiser state, so training cannot resume from it.");
        if (optimizer is not OptimizerHelper helper) throw new NotSupportedException("Only TorchSharp's managed optimisers can be restored.");
        helper.load_state_dict(path);
    }

    /// <summary>
    /// The directory to read: <paramref name="directory"/> itself, or the backup left if a process died
    /// between the two renames of <see cref="Replace"/>.
    /// </summary>
    public static string Resolve(string directory)
    {
        string full = Path.GetFullPath(directory);
        if (File.Exists(Path.Combine(full, ManifestFile))) return full;
        string backup = BackupName(full);
        if (File.Exists(Path.Combine(backup, ManifestFile))) return backup;
        throw new CheckpointException($"{directory}: no checkpoint here (no {ManifestFile}).");
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

    private static string Sha256(string path)
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
