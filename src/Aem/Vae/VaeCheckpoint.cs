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
        Checkpoint.WriteDirectory(directory, model, optimizer, (files, dtype) =>
            JsonSerializer.Serialize(manifest with { Files = files, DType = dtype, SavedAt = DateTimeOffset.UtcNow }, Checkpoint.Json));
    }

    /// <summary>Reads and verifies the manifest of the VAE checkpoint in <paramref name="directory"/>, retrying a read that overlaps a replacement.</summary>
    public static VaeManifest ReadManifest(string directory) => Checkpoint.ReadConsistently(directory, ReadManifestAt, dispose: null);

    /// <summary>Loads a VAE (in eval mode) and its manifest.</summary>
    public static (ConvVae Model, VaeManifest Manifest) Load(string directory, Device? device = null) =>
        Checkpoint.ReadConsistently(directory, dir => LoadAt(dir, device), dispose: loaded => loaded.Model.Dispose());

    private static VaeManifest ReadManifestAt(string dir)
    {
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
        Checkpoint.VerifyFiles(dir, manifest.Files);
        return manifest;
    }

    private static (ConvVae Model, VaeManifest Manifest) LoadAt(string dir, Device? device)
    {
        var manifest = ReadManifestAt(dir);
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

    /// <summary>The directory to read (the checkpoint itself, or the backup an interrupted replace left).</summary>
    public static string Resolve(string directory) => Checkpoint.Resolve(directory);
}
