using Mono.Cecil;
using Mono.Cecil.Cil;
using TorchSharp;

namespace Aem.Tests.Architecture;

/// <summary>
/// A TorchSharp Scalar owns native memory and frees it in its finalizer. One that is a temporary — an
/// implicit conversion (<c>t * 2.0</c>) or one a TorchSharp overload makes for itself (<c>a + b</c>,
/// <c>add(b)</c>, <c>square()</c>, <c>softplus</c>, <c>elu</c>) — is unreachable once libtorch has its
/// handle, so a collection started by another thread can free it mid-call (libtorch then fails in
/// Scalar.h or reads garbage). These tests read the library's IL and name every method that makes one.
/// </summary>
public class ScalarLifetimeTests
{
    /// <summary>
    /// TorchSharp 0.107 members that make Scalars of their own, found in its source: each forwards to an
    /// overload with a Scalar it creates (<c>add(t)</c> is <c>add(t, 1)</c>, <c>square()</c> is <c>pow(2)</c>,
    /// <c>softplus(β, threshold)</c> and <c>elu(α)</c> convert their doubles, <c>t + 1.0</c> is
    /// <c>add(1.0, 1)</c>). The same is found from TorchSharp's IL below; the list guards that analysis.
    /// </summary>
    public static readonly string[] KnownCreators =
    [
        "TorchSharp.torch.Tensor::add(Tensor)",
        "TorchSharp.torch.Tensor::add_(Tensor)",
        "TorchSharp.torch.Tensor::add(Scalar)",
        "TorchSharp.torch.Tensor::add_(Scalar)",
        "TorchSharp.torch.Tensor::op_Addition(Tensor, Tensor)",
        "TorchSharp.torch.Tensor::op_Addition(Tensor, Double)",
        "TorchSharp.torch.Tensor::op_Addition(Tensor, Scalar)",
        "TorchSharp.torch.Tensor::op_Subtraction(Tensor, Double)",
        "TorchSharp.torch.Tensor::op_Subtraction(Tensor, Int32)",
        "TorchSharp.torch.Tensor::op_Subtraction(Double, Tensor)",
        "TorchSharp.torch.Tensor::op_Multiply(Tensor, Double)",
        "TorchSharp.torch.Tensor::op_Multiply(Tensor, Int32)",
        "TorchSharp.torch.Tensor::op_Division(Tensor, Double)",
        "TorchSharp.torch.Tensor::op_Division(Tensor, Int64)",
        "TorchSharp.torch.Tensor::square()",
        "TorchSharp.torch.Tensor::softplus(Double, Double)",
        "TorchSharp.torch.nn.functional::softplus(Tensor, Double, Double)",
        "TorchSharp.torch.Tensor::elu(Double)",
        "TorchSharp.torch.Tensor::elu_(Double)",
        "TorchSharp.torch.nn.functional::elu(Tensor, Double, Boolean)",
        "TorchSharp.torch.Tensor::addcdiv(Tensor, Tensor)",
        "TorchSharp.torch::arange(Scalar, Nullable`1, Device, Boolean)",
        "TorchSharp.torch::arange(Scalar, Scalar, Nullable`1, Device, Boolean)",
        "TorchSharp.Modules.Adam::step(Func`1)",
    ];

    /// <summary>
    /// Virtual members whose TorchSharp implementations make Scalars: a call names the base method, which
    /// the analysis cannot follow to the override (<c>Adam.step</c>, <c>SGD.step</c>, … convert their
    /// hyperparameters implicitly; the trainer uses <c>AdamStep</c> instead).
    /// </summary>
    public static readonly string[] KnownVirtualCreators =
    [
        "TorchSharp.torch.optim.Optimizer::step(Func`1)",
    ];

    private static readonly Lazy<(ModuleDefinition Library, ModuleDefinition TorchSharp, HashSet<string> Creators)> Modules = new(Load);

    [Fact]
    public void TheAnalysis_FindsEveryKnownCreator()
    {
        var creators = Modules.Value.Creators;
        var missed = KnownCreators.Where(c => !creators.Contains(c)).ToArray();
        Assert.True(missed.Length == 0, "Not found to create Scalars (renamed in TorchSharp?): " + string.Join("; ", missed));
    }

    [Fact]
    public void NoLibraryMethod_ConvertsToScalarImplicitly()
    {
        var offenders = Calls(m => m.DeclaringType.FullName == "TorchSharp.Scalar" && m.Name == "op_Implicit")
            .Select(c => c.Where).ToArray();
        Assert.True(offenders.Length == 0, "Implicit Scalar conversions (use a shared Scalar or `using var s = v.ToScalar()`):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void NoLibraryMethod_CallsATorchSharpMemberThatMakesItsOwnScalars()
    {
        var creators = Modules.Value.Creators.Union(KnownCreators).Union(KnownVirtualCreators).ToHashSet(StringComparer.Ordinal);
        var offenders = Calls(m => m.DeclaringType.Scope.Name.StartsWith("TorchSharp", StringComparison.Ordinal) && creators.Contains(Describe(m)))
            .Select(c => $"{c.Where} calls {Describe(c.Callee)}").ToArray();
        Assert.True(offenders.Length == 0, "TorchSharp members that make temporary Scalars (see Aem.Runtime.Scalars for the replacements):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void NoLibraryMethod_BuildsATorchSharpModuleWhoseForwardMakesScalars()
    {
        // Module.forward is called through the base method, so look at the modules the library builds.
        var creators = Modules.Value.Creators;
        var offenders = new List<string>();
        foreach (var method in LibraryMethods())
        {
            foreach (var instruction in method.Body.Instructions)
            {
                if (instruction.Operand is not MethodReference callee || !callee.DeclaringType.Scope.Name.StartsWith("TorchSharp", StringComparison.Ordinal)) continue;
                var built = instruction.OpCode.Code == Code.Newobj ? callee.DeclaringType : callee.ReturnType;
                for (var type = Resolve(built); type is not null; type = Resolve(type.BaseType))
                {
                    var forward = type.Methods.FirstOrDefault(m => m.Name == "forward" && m.HasBody && creators.Contains(Describe(m)));
                    if (forward is null) continue;
                    offenders.Add($"{Where(method, instruction)} builds {built.Name}, whose {Describe(forward)} makes Scalars");
                    break;
                }
            }
        }
        Assert.True(offenders.Count == 0, "TorchSharp modules whose forward makes temporary Scalars:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void EveryScalarTheLibraryMakes_OutlivesItsCalls()
    {
        // The result of ToScalar must go straight into a static field (a shared constant) or into a
        // local that the method disposes (`using var`), which keeps it reachable until after the calls.
        var offenders = new List<string>();
        foreach (var method in LibraryMethods())
        {
            var instructions = method.Body.Instructions;
            for (int i = 0; i < instructions.Count; i++)
            {
                if (instructions[i].Operand is not MethodReference callee || !IsToScalar(callee)) continue;
                var next = i + 1 < instructions.Count ? instructions[i + 1] : null;
                bool kept = next?.OpCode.Code == Code.Stsfld
                    || (Local(method, next) is { } local && IsDisposed(method, local));
                if (!kept) offenders.Add(Where(method, instructions[i]));
            }
        }
        Assert.True(offenders.Count == 0, "ToScalar results that are neither shared constants nor `using` locals:\n" + string.Join("\n", offenders));
    }

    /// <summary>A TorchSharp type's definition (null for others: the walk up the base types stops there).</summary>
    private static TypeDefinition? Resolve(TypeReference? type)
    {
        if (type is null || !type.Scope.Name.StartsWith("TorchSharp", StringComparison.Ordinal)) return null;
        var element = type.GetElementType();
        return Modules.Value.TorchSharp.GetType(element.FullName) ?? Modules.Value.TorchSharp.GetType(element.FullName.Replace('/', '+'));
    }

    private static bool IsToScalar(MethodReference m) =>
        m.DeclaringType.FullName == "TorchSharp.ScalarExtensionMethods" && m.Name == "ToScalar";

    private static IEnumerable<(MethodReference Callee, string Where)> Calls(Func<MethodReference, bool> match)
    {
        foreach (var method in LibraryMethods())
        {
            foreach (var instruction in method.Body.Instructions)
            {
                if (instruction.Operand is MethodReference callee && match(callee.GetElementMethod()))
                {
                    yield return (callee.GetElementMethod(), Where(method, instruction));
                }
            }
        }
    }

    private static IEnumerable<MethodDefinition> LibraryMethods() =>
        Modules.Value.Library.Types.SelectMany(Nested).SelectMany(t => t.Methods).Where(m => m.HasBody);

    private static IEnumerable<TypeDefinition> Nested(TypeDefinition type) => type.NestedTypes.SelectMany(Nested).Prepend(type);

    /// <summary>"Namespace.Type::Name(ParameterTypes)", nested types joined with dots.</summary>
    private static string Describe(MethodReference m) =>
        $"{m.DeclaringType.FullName.Replace('/', '.')}::{m.Name}({string.Join(", ", m.Parameters.Select(p => p.ParameterType.Name))})";

    private static string Where(MethodDefinition method, Instruction instruction)
    {
        var point = method.DebugInformation.HasSequencePoints
            ? method.DebugInformation.SequencePoints.LastOrDefault(p => p.Offset <= instruction.Offset && !p.IsHidden)
            : null;
        string line = point is null ? "" : $" ({Path.GetFileName(point.Document.Url)}:{point.StartLine})";
        return $"{method.DeclaringType.FullName}::{method.Name}{line}";
    }

    private static VariableDefinition? Local(MethodDefinition method, Instruction? store) => store?.OpCode.Code switch
    {
        Code.Stloc_0 => method.Body.Variables[0],
        Code.Stloc_1 => method.Body.Variables[1],
        Code.Stloc_2 => method.Body.Variables[2],
        Code.Stloc_3 => method.Body.Variables[3],
        Code.Stloc_S or Code.Stloc => (VariableDefinition)store.Operand,
        _ => null,
    };

    private static VariableDefinition? Loaded(MethodDefinition method, Instruction load) => load.OpCode.Code switch
    {
        Code.Ldloc_0 => method.Body.Variables[0],
        Code.Ldloc_1 => method.Body.Variables[1],
        Code.Ldloc_2 => method.Body.Variables[2],
        Code.Ldloc_3 => method.Body.Variables[3],
        Code.Ldloc_S or Code.Ldloc => (VariableDefinition)load.Operand,
        _ => null,
    };

    /// <summary>Whether the method calls Dispose on <paramref name="local"/> (as `using` does, in a finally block).</summary>
    private static bool IsDisposed(MethodDefinition method, VariableDefinition local)
    {
        var instructions = method.Body.Instructions;
        for (int i = 0; i + 1 < instructions.Count; i++)
        {
            if (Loaded(method, instructions[i]) == local
                && instructions[i + 1].Operand is MethodReference call && call.Name == "Dispose" && call.Parameters.Count == 0)
            {
                return true;
            }
        }
        return false;
    }

    private static (ModuleDefinition, ModuleDefinition, HashSet<string>) Load()
    {
        var path = typeof(Aem.Model.AutoregressiveEnergyMachine).Assembly.Location;
        var library = ModuleDefinition.ReadModule(path, new ReaderParameters { ReadSymbols = File.Exists(Path.ChangeExtension(path, ".pdb")) });
        var torchSharp = ModuleDefinition.ReadModule(typeof(Scalar).Assembly.Location);
        return (library, torchSharp, ScalarCreators(torchSharp));
    }

    /// <summary>
    /// TorchSharp's methods that create a Scalar (ToScalar or an implicit conversion) or call, within
    /// TorchSharp, a method that does — the closure over its call graph.
    /// </summary>
    private static HashSet<string> ScalarCreators(ModuleDefinition torchSharp)
    {
        var methods = torchSharp.Types.SelectMany(Nested).Where(t => t.FullName != "TorchSharp.Scalar" && t.FullName != "TorchSharp.ScalarExtensionMethods")
            .SelectMany(t => t.Methods).Where(m => m.HasBody).ToArray();
        var callees = methods.ToDictionary(
            m => m,
            m => m.Body.Instructions.Select(i => i.Operand).OfType<MethodReference>().Select(r => r.GetElementMethod()).ToArray());
        var creators = methods.Where(m => callees[m].Any(c => IsToScalar(c) || (c.DeclaringType.FullName == "TorchSharp.Scalar" && c.Name == "op_Implicit")))
            .ToHashSet();
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (var m in methods)
            {
                if (!creators.Contains(m) && callees[m].Any(c => Within(c) is { } d && creators.Contains(d)))
                {
                    creators.Add(m);
                    grew = true;
                }
            }
        }
        return creators.Select(Describe).ToHashSet(StringComparer.Ordinal);

        MethodDefinition? Within(MethodReference c) => c as MethodDefinition ?? (c.DeclaringType.Scope == torchSharp ? c.Resolve() : null);
    }
}
