using System.Security.Cryptography;
using System.Text.Json;
using Aem.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Aem.Vae;

/// <summary>
/// A VAE checkpoint is one directory, laid out like an AEM's (<see cref="Checkpoint"/>): <c>model.bin</c>,
/// optionally <c>optimizer.bin</c>, and <c>manifest.json</c> (<see cref="VaeManifest"/>). It is written
/// under a temporary name and renamed into place, so a reader never sees a half-written checkpoint.
/// </summary>
public static class VaeCheckpoint
{
    /// <summary>Writes a checkpoint to <paramref name="directory"/>, replacing any there atomically.</summary>
    public static void Save(string directory, ConvVae model, optim.Optimizer? optimizer, VaeManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        string full = Path.GetFullPath(directory);
        string parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        string temporary = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            model.save(Path.Combine(temporary, Checkpoint.ModelFile));
            if (optimizer is OptimizerHelper helper) helper.save_state_dict(Path.Combine(temporary, Checkpoint.OptimizerFile));
            var files = Directory.GetFiles(temporary).ToDictionary(f => Path.GetFileName(f), Sha256, StringComparer.Ordinal);
            var dtype = model.parameters().First().dtype == ScalarType.Float64 ? "float64" : "float32";
            var final = manifest with { Files = files, DType = dtype, SavedAt = DateTimeOffset.UtcNow };
            using (var stream = new FileStream(Path.Combine(temporary, Checkpoint.ManifestFile), FileMode.CreateNew, FileAccess.Write))
            {
                JsonSerializer.Serialize(stream, final, Checkpoint.Json);
                stream.Flush(flushToDisk: true);
            }
            string backup = BackupName(full);
            TryDelete(backup);
            if (Directory.Exists(full)) Directory.Move(full, backup);
            Directory.Move(temporary, full);
            TryDelete(backup);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Reads and verifies the manifest of the VAE checkpoint in <paramref name="directory"/>.</summary>
    public static VaeManifest ReadManifest(string directory)
    {
        string dir = Resolve(directory);
        string path = Path.Combine(dir, Checkpoint.ManifestFile);
        VaeManifest? manifest;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (!document.RootElement.TryGetProperty(nameof(VaeManifest.Kind), out var kind) || kind.GetString() != "vae")
            {
                throw new CheckpointException($"{path}: not a VAE checkpoint (an AEM checkpoint? give the folder written by `aem vae pretrain`).");
            }
            manifest = document.Deserialize<VaeManifest>(Checkpoint.Json);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new CheckpointException($"{path}: unreadable VAE checkpoint manifest ({e.Message}).", e);
        }
        if (manifest is null) throw new CheckpointException($"{path}: empty checkpoint manifest.");
        if (manifest.FormatVersion != VaeManifest.CurrentFormatVersion)
        {
            throw new CheckpointException($"{path}: VAE checkpoint format {manifest.FormatVersion} is not supported (this build reads {VaeManifest.CurrentFormatVersion}).");
        }
        foreach (var (file, expected) in manifest.Files)
        {
            string filePath = Path.Combine(dir, file);
            if (!File.Exists(filePath)) throw new CheckpointException($"{filePath}: missing from the checkpoint.");
            if (!string.Equals(Sha256(filePath), expected, StringComparison.Ordinal))
            {
                throw new CheckpointException($"{filePath}: checksum mismatch; the checkpoint is truncated or was modified.");
            }
        }
        if (!manifest.Files.ContainsKey(Checkpoint.ModelFile)) throw new CheckpointException($"{dir}: the manifest lists no {Checkpoint.ModelFile}.");
        return manifest;
    }

    /// <summary>Loads a VAE (in eval mode) and its manifest.</summary>
    public static (ConvVae Model, VaeManifest Manifest) Load(string directory, Device? device = null)
    {
        string dir = Resolve(directory);
        var manifest = ReadManifest(dir);
        var model = new ConvVae(manifest.Model);
        if (manifest.DType == "float64") model.to(float64);
        try
        {
            model.load(Path.Combine(dir, Checkpoint.ModelFile));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            model.Dispose();
            throw new CheckpointException($"{Path.Combine(dir, Checkpoint.ModelFile)}: the weights do not match the manifest's architecture ({e.Message}).", e);
        }
        if (device is not null) model.to(device);
        model.eval();
        return (model, manifest);
    }

    /// <summary>Restores optimiser moments saved with the checkpoint.</summary>
    public static void LoadOptimizer(string directory, optim.Optimizer optimizer)
    {
        string path = Path.Combine(Resolve(directory), Checkpoint.OptimizerFile);
        if (!File.Exists(path)) throw new CheckpointException($"{path}: this checkpoint has no optimiser state, so training cannot resume from it.");
        if (optimizer is not OptimizerHelper helper) throw new NotSupportedException("Only TorchSharp's managed optimisers can be restored.");
        helper.load_state_dict(path);
    }

    /// <summary>The SHA-256 of the checkpoint's weights: identifies the VAE that latents were drawn from.</summary>
    public static string ModelHash(string directory) => ReadManifest(directory).Files[Checkpoint.ModelFile];

    /// <summary><paramref name="directory"/>, or the backup left if a process died between the two renames of a save.</summary>
    public static string Resolve(string directory)
    {
        string full = Path.GetFullPath(directory);
        if (File.Exists(Path.Combine(full, Checkpoint.ManifestFile))) return full;
        string backup = BackupName(full);
        if (File.Exists(Path.Combine(backup, Checkpoint.ManifestFile))) return backup;
        throw new CheckpointException($"{directory}: no checkpoint here (no {Checkpoint.ManifestFile}).");
    }

    private static string BackupName(string full) => Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.old");

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
