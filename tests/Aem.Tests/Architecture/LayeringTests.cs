using System.Reflection;
using NetArchTest.Rules;

namespace Aem.Tests.Architecture;

/// <summary>
/// The library's namespaces form layers (docs/architecture.md): each may use only those before it, and
/// data loading stands apart from the model. The references are read from the compiled IL (method
/// bodies included), so a forbidden use anywhere fails here.
/// </summary>
public class LayeringTests
{
    private static readonly Assembly Library = typeof(Aem.Model.AutoregressiveEnergyMachine).Assembly;
    private static readonly Assembly Tool = typeof(Aem.Cli.CliContext).Assembly;

    /// <summary>The layers, lowest first, and the layers besides its predecessors each may use.</summary>
    public static TheoryData<string, string[]> Layers => new()
    {
        { "Aem.Runtime", [] },
        { "Aem.Randomness", [] },
        { "Aem.Data", [] },
        { "Aem.Nn", [] },
        { "Aem.Distributions", [] },
        { "Aem.Model", [] },
        { "Aem.Sampling", [] },
        { "Aem.Evaluation", [] },
        { "Aem.Training", [] },
        { "Aem.Runs", ["Aem.Data"] },
        { "Aem.Presets", ["Aem.Data"] },
        { "Aem.Figures", ["Aem.Data"] },
        { "Aem.Benchmarking", ["Aem.Data"] },
        { "Aem.Vae", ["Aem.Data"] },
        { "Aem", ["Aem.Data"] },
    };

    /// <summary>What comes before each layer in the model stack (data loading is not in it).</summary>
    private static readonly string[] Stack =
    [
        "Aem.Runtime", "Aem.Randomness", "Aem.Nn", "Aem.Distributions", "Aem.Model", "Aem.Sampling", "Aem.Evaluation",
        "Aem.Training", "Aem.Runs", "Aem.Presets", "Aem.Figures", "Aem.Benchmarking", "Aem.Vae", "Aem",
    ];

    /// <summary>The layers on top, side by side: none uses another.</summary>
    private static readonly string[] Top = ["Aem.Figures", "Aem.Benchmarking", "Aem.Vae", "Aem"];

    [Theory]
    [MemberData(nameof(Layers))]
    public void EachLayer_UsesOnlyTheLayersBeforeIt(string layer, string[] alsoAllowed)
    {
        var allowed = new HashSet<string>(alsoAllowed, StringComparer.Ordinal) { layer };
        if (layer == "Aem.Data")
        {
            // Data loading stands apart: it may use the runtime and randomness, nothing of the model.
            allowed.UnionWith(["Aem.Runtime", "Aem.Randomness"]);
        }
        else
        {
            allowed.UnionWith(Stack.TakeWhile(l => l != layer));
        }
        // Siblings: Sampling and Evaluation do not use each other; the top layers stand side by side.
        if (layer == "Aem.Evaluation") allowed.Remove("Aem.Sampling");
        if (Top.Contains(layer))
        {
            allowed.ExceptWith(Top);
            allowed.Add(layer);
        }
        // NetArchTest matches names by prefix, so the root namespace "Aem" is forbidden type by type.
        var forbidden = Library.GetTypes().Where(t => t.Namespace is { } n && (n == "Aem" || n.StartsWith("Aem.", StringComparison.Ordinal)) && !allowed.Contains(n))
            .Select(t => t.Namespace == "Aem" ? t.FullName! : t.Namespace!)
            .Distinct()
            .ToArray();
        var result = Types.InAssembly(Library).That().ResideInNamespaceMatching("^" + layer.Replace(".", "\\.", StringComparison.Ordinal) + "$")
            .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful, $"{layer} uses a later layer: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void EveryLibraryNamespace_IsALayer()
    {
        var layers = Layers.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        var namespaces = Library.GetTypes().Where(t => !IsCompilerGenerated(t)).Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith("Aem", StringComparison.Ordinal)).Distinct();
        Assert.All(namespaces, n => Assert.Contains(n, layers));
    }

    [Fact]
    public void TheTool_HasNoPublicTypes()
    {
        var visible = Tool.GetExportedTypes().Select(t => t.FullName);
        Assert.Empty(visible);
    }

    [Fact]
    public void NoCommand_UsesAnotherCommand()
    {
        // Shared steps live in the library or in the tool's Parsing/Terminal/Output helpers; only a
        // parent command names its subcommands (to register them).
        var commands = Tool.GetTypes().Where(t => t.Namespace == "Aem.Cli.Commands" && !IsCompilerGenerated(t) && !t.IsNested).ToArray();
        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            var others = commands.Where(c => c != command && !(command.Name == "VaeCommand" && c.Name.StartsWith("Vae", StringComparison.Ordinal)))
                .Select(c => c.FullName!).ToArray();
            var result = Types.InAssembly(Tool).That().HaveName(command.Name).ShouldNot().HaveDependencyOnAny(others).GetResult();
            Assert.True(result.IsSuccessful, $"{command.Name} uses another command's internals");
        }
    }

    private static bool IsCompilerGenerated(Type type) =>
        type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false) || type.Name.StartsWith('<');
}
