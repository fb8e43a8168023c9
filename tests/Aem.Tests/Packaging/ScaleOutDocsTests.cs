using System.Globalization;
using System.Text.RegularExpressions;
using Aem.Tests.Cli;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Aem.Tests.Packaging;

/// <summary>
/// docs/scale-out.md: its Kubernetes manifest is what an Indexed Job of <c>aem</c> shards needs (read into typed
/// classes of the Kubernetes fields, so an unknown or misspelt field fails), and its Slurm script is the one in bench/.
/// </summary>
[Collection(CliTestGroup.Name)]
public sealed partial class ScaleOutDocsTests
{
    private static string Repository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Aem.slnx"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Aem.slnx) was not found above the test binaries.");
    }

    private static string Page() => File.ReadAllText(Path.Combine(Repository(), "docs", "scale-out.md"));

    private static string Block(string page, string language)
    {
        var match = Regex.Match(page, "```" + language + "\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, $"docs/scale-out.md has no ```{language} block");
        return match.Groups[1].Value;
    }

    private static T Read<T>(string yaml) =>
        new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build().Deserialize<T>(yaml);

    /// <summary>The manifest's documents: the volume claim, the Indexed Job of shards, the merge Job.</summary>
    private static (PersistentVolumeClaim Claim, Job Shards, Job Merge) Manifest()
    {
        var documents = Regex.Split(Block(Page(), "yaml"), "^---$", RegexOptions.Multiline);
        Assert.Equal(3, documents.Length);
        return (Read<PersistentVolumeClaim>(documents[0]), Read<Job>(documents[1]), Read<Job>(documents[2]));
    }

    [Fact]
    public void KubernetesManifest_IsAnIndexedJobWhoseIndexIsTheShard()
    {
        var (claim, shards, merge) = Manifest();
        Assert.Equal(("v1", "PersistentVolumeClaim"), (claim.ApiVersion, claim.Kind));
        Assert.Contains("ReadWriteMany", claim.Spec.AccessModes);

        Assert.Equal(("batch/v1", "Job"), (shards.ApiVersion, shards.Kind));
        var spec = shards.Spec;
        Assert.Equal("Indexed", spec.CompletionMode);
        int completions = spec.Completions ?? 0;
        Assert.True(completions >= 1, "an Indexed Job needs completions");
        Assert.InRange(spec.Parallelism ?? 1, 1, completions);
        var pod = spec.Template.Spec;
        Assert.Contains(pod.RestartPolicy, new[] { "Never", "OnFailure" });
        var container = Assert.Single(pod.Containers);
        var args = container.Args;
        Assert.Equal("aem", Assert.Single(container.Command));
        Assert.Equal("$(JOB_COMPLETION_INDEX)/" + completions.ToString(CultureInfo.InvariantCulture), Value(args, "--shard"));
        var index = Assert.Single(container.Env, e => e.Name == "JOB_COMPLETION_INDEX");
        Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", index.ValueFrom?.FieldRef.FieldPath);
        Assert.Equal(container.Resources.Limits["cpu"], Value(args, "--threads"));
        string mount = MountOf(container, pod, claim);
        foreach (var option in new[] { "--checkpoint", "--data", "--output" }) Assert.StartsWith(mount + "/", Value(args, option), StringComparison.Ordinal);

        Assert.Equal(("batch/v1", "Job"), (merge.ApiVersion, merge.Kind));
        var merger = Assert.Single(merge.Spec.Template.Spec.Containers);
        Assert.Contains(merge.Spec.Template.Spec.RestartPolicy, new[] { "Never", "OnFailure" });
        string mergeMount = MountOf(merger, merge.Spec.Template.Spec, claim);
        string command = Assert.Single(merger.Args);
        // The merge reads what the shards write: their --output's shard files, all N of them.
        string output = Value(args, "--output");
        string pattern = $"{Path.ChangeExtension(output, null)}.shard-*-of-{completions}.aemshard";
        Assert.Equal($"aem merge {pattern}", command);
        Assert.StartsWith(mergeMount + "/", pattern, StringComparison.Ordinal);
    }

    [Fact]
    public void KubernetesManifest_ArgumentsAreOnesTheToolAccepts()
    {
        var (_, shards, merge) = Manifest();
        // The volume is a temporary folder holding the output folder but no run: with every option parsed,
        // the tool gets as far as looking for the run (and the merge as far as looking for the shards).
        using var cli = new CliHarness();
        string mount = shards.Spec.Template.Spec.Containers[0].VolumeMounts[0].MountPath;
        string Local(string arg) => arg.Replace("$(JOB_COMPLETION_INDEX)", "3", StringComparison.Ordinal).Replace(mount + "/", cli.Root + "/", StringComparison.Ordinal);
        var args = shards.Spec.Template.Spec.Containers[0].Args.Select(Local).ToArray();
        Directory.CreateDirectory(Path.GetDirectoryName(Value(args, "--output"))!);
        var score = cli.Run(args);
        Assert.Equal(2, score.Code);
        Assert.Contains($"{Value(args, "--checkpoint")}: no such folder", score.Error, StringComparison.Ordinal);
        var mergeArgs = Local(merge.Spec.Template.Spec.Containers[0].Args[0]).Split(' ').Skip(1).ToArray();
        var merged = cli.Run(mergeArgs);
        Assert.Equal(2, merged.Code);
        Assert.Contains("no such shard file", merged.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SlurmScript_OnThePage_IsTheOneInBench()
    {
        string script = File.ReadAllText(Path.Combine(Repository(), "bench", "aem-shards.sbatch"));
        Assert.Equal(script, Block(Page(), "bash"));
    }

    private static string Value(IReadOnlyList<string> args, string option)
    {
        int at = args.ToList().IndexOf(option);
        Assert.True(at >= 0 && at + 1 < args.Count, $"the container's args lack {option}");
        return args[at + 1];
    }

    /// <summary>The one mount of the container: a declared volume backed by the manifest's claim.</summary>
    private static string MountOf(Container container, PodSpec pod, PersistentVolumeClaim claim)
    {
        var mount = Assert.Single(container.VolumeMounts);
        var volume = Assert.Single(pod.Volumes, v => v.Name == mount.Name);
        Assert.Equal(claim.Metadata.Name, volume.PersistentVolumeClaim?.ClaimName);
        return mount.MountPath;
    }

    // The Kubernetes fields the manifest uses (names as in the API, camelCase in YAML).
#pragma warning disable CA1812, CA2227, CA1002 // instantiated by YamlDotNet; settable collections are how it fills them
    private sealed class ObjectMeta
    {
        public string Name { get; set; } = "";

        public Dictionary<string, string>? Labels { get; set; }
    }

    private sealed class PersistentVolumeClaim
    {
        public string ApiVersion { get; set; } = "";

        public string Kind { get; set; } = "";

        public ObjectMeta Metadata { get; set; } = new();

        public ClaimSpec Spec { get; set; } = new();
    }

    private sealed class ClaimSpec
    {
        public List<string> AccessModes { get; set; } = [];

        public Resources Resources { get; set; } = new();

        public string? StorageClassName { get; set; }
    }

    private sealed class Job
    {
        public string ApiVersion { get; set; } = "";

        public string Kind { get; set; } = "";

        public ObjectMeta Metadata { get; set; } = new();

        public JobSpec Spec { get; set; } = new();
    }

    private sealed class JobSpec
    {
        public string? CompletionMode { get; set; }

        public int? Completions { get; set; }

        public int? Parallelism { get; set; }

        public int? BackoffLimit { get; set; }

        public int? BackoffLimitPerIndex { get; set; }

        public int? TtlSecondsAfterFinished { get; set; }

        public PodTemplate Template { get; set; } = new();
    }

    private sealed class PodTemplate
    {
        public ObjectMeta? Metadata { get; set; }

        public PodSpec Spec { get; set; } = new();
    }

    private sealed class PodSpec
    {
        public string RestartPolicy { get; set; } = "";

        public List<Container> Containers { get; set; } = [];

        public List<Volume> Volumes { get; set; } = [];
    }

    private sealed class Container
    {
        public string Name { get; set; } = "";

        public string Image { get; set; } = "";

        public List<string> Command { get; set; } = [];

        public List<string> Args { get; set; } = [];

        public List<EnvVar> Env { get; set; } = [];

        public Resources Resources { get; set; } = new();

        public List<VolumeMount> VolumeMounts { get; set; } = [];
    }

    private sealed class EnvVar
    {
        public string Name { get; set; } = "";

        public string? Value { get; set; }

        public EnvVarSource? ValueFrom { get; set; }
    }

    private sealed class EnvVarSource
    {
        public FieldSelector FieldRef { get; set; } = new();
    }

    private sealed class FieldSelector
    {
        public string FieldPath { get; set; } = "";

        public string? ApiVersion { get; set; }
    }

    private sealed class Resources
    {
        public Dictionary<string, string> Requests { get; set; } = [];

        public Dictionary<string, string> Limits { get; set; } = [];
    }

    private sealed class VolumeMount
    {
        public string Name { get; set; } = "";

        public string MountPath { get; set; } = "";

        public bool? ReadOnly { get; set; }
    }

    private sealed class Volume
    {
        public string Name { get; set; } = "";

        public ClaimSource? PersistentVolumeClaim { get; set; }
    }

    private sealed class ClaimSource
    {
        public string ClaimName { get; set; } = "";

        public bool? ReadOnly { get; set; }
    }
#pragma warning restore CA1812, CA2227, CA1002
}
