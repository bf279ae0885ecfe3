using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using CommunityBot.Channels.BotFramework;
using Microsoft.Bot.Builder.Integration.AspNet.Core;

namespace CommunityBot.Tests.Foundation;

/// <summary>
/// Foundation.props brings Bot Builder in by PackageDownload + Reference, so nothing but these tests checks that every
/// assembly it needs is there at run time: every Bot Builder (and Microsoft.Rest, Newtonsoft) type the product's own
/// assemblies refer to is loaded with all its members, and so is everything those assemblies refer to in turn. A missing
/// or too old assembly fails here, not in a resident's turn.
/// </summary>
public sealed class BotFoundationTypesTests
{
    private static readonly string[] s_foundationPrefixes = ["Microsoft.Bot.", "Microsoft.Rest", "Newtonsoft.Json"];

    // Declared by Microsoft.Bot.Schema, not served, and needed only by Microsoft.Bot.Schema.SharePoint.QuickViewResponse.
    private const string NotServed = "AdaptiveCards";

    private static readonly Assembly[] s_product = [typeof(BotFrameworkAdmission).Assembly, typeof(CommunityBot.Dialogs.Conversation.InboundMessage).Assembly];

    [Fact]
    public void ProductAssemblies_EveryFoundationTypeTheyReferTo_LoadsWithAllItsMembers()
    {
        var types = s_product.SelectMany(ReferencedFoundationTypes).Distinct().ToList();

        // The scan finds what the Bot Framework channel is built on.
        Assert.Contains(typeof(CloudAdapter), types);
        Assert.Contains(typeof(Microsoft.Bot.Connector.ConnectorClient), types);
        Assert.Contains(typeof(Microsoft.Bot.Connector.Authentication.BotFrameworkAuthenticationFactory), types);
        Assert.Contains(typeof(Microsoft.Bot.Schema.Activity), types);
        Assert.Contains(typeof(Microsoft.Bot.Schema.Teams.TeamsChannelData), types);

        var failures = new List<string>();
        foreach (var type in types)
        {
            try
            {
                LoadEverything(type);
            }
            catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or TypeLoadException or MissingMethodException or BadImageFormatException)
            {
                failures.Add($"{type.FullName}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void FoundationAssemblies_EveryAssemblyTheyReferTo_Loads_ButAdaptiveCards()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var missing = new List<string>();
        var queue = new Queue<AssemblyName>(s_product.SelectMany(a => a.GetReferencedAssemblies()).Where(IsFoundation));
        while (queue.TryDequeue(out var name))
        {
            if (!seen.Add(name.Name!))
            {
                continue;
            }

            Assembly loaded;
            try
            {
                loaded = Assembly.Load(name);
            }
            catch (Exception ex) when (ex is FileNotFoundException or FileLoadException)
            {
                missing.Add($"{name.FullName} ({ex.GetType().Name})");
                continue;
            }

            foreach (var reference in loaded.GetReferencedAssemblies())
            {
                queue.Enqueue(reference);
            }
        }

        Assert.Contains("Microsoft.Bot.Builder.Integration.AspNet.Core", seen);
        Assert.Contains("Microsoft.Bot.Connector.Streaming", seen);
        Assert.All(missing, m => Assert.StartsWith(NotServed + ",", m, StringComparison.Ordinal));
    }

    [Fact]
    public void SchemaTypes_OnlyQuickViewResponseNeedsTheAssemblyThatIsNotServed()
    {
        var schema = typeof(Microsoft.Bot.Schema.Activity).Assembly;
        var unloadable = new List<string>();
        foreach (var type in schema.GetExportedTypes())
        {
            try
            {
                LoadEverything(type);
            }
            catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or TypeLoadException)
            {
                unloadable.Add(type.FullName!);
            }
        }

        Assert.Equal(["Microsoft.Bot.Schema.SharePoint.QuickViewResponse"], unloadable);
    }

    private static bool IsFoundation(AssemblyName name) =>
        name.Name is { } simple && (s_foundationPrefixes.Any(p => simple.StartsWith(p, StringComparison.Ordinal)) || simple == NotServed);

    /// <summary>The foundation types an assembly's metadata refers to (its TypeRefs), resolved.</summary>
    private static IEnumerable<Type> ReferencedFoundationTypes(Assembly assembly)
    {
        using var stream = File.OpenRead(assembly.Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in metadata.TypeReferences)
        {
            if (QualifiedName(metadata, handle) is { } name)
            {
                names.Add(name);
            }
        }

        return names.Distinct().Select(n => Type.GetType(n, throwOnError: true)!).ToList();
    }

    /// <summary>"Namespace.Type+Nested, Assembly" for a reference into a foundation assembly; null for any other.</summary>
    private static string? QualifiedName(MetadataReader metadata, TypeReferenceHandle handle)
    {
        var reference = metadata.GetTypeReference(handle);
        var name = metadata.GetString(reference.Name);
        switch (reference.ResolutionScope.Kind)
        {
            case HandleKind.AssemblyReference:
                var assembly = metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope).Name);
                if (!s_foundationPrefixes.Any(p => assembly.StartsWith(p, StringComparison.Ordinal)))
                {
                    return null;
                }

                var ns = metadata.GetString(reference.Namespace);
                return $"{(ns.Length == 0 ? "" : ns + ".")}{name}, {assembly}";
            case HandleKind.TypeReference:
                var outer = QualifiedName(metadata, (TypeReferenceHandle)reference.ResolutionScope);
                if (outer is null)
                {
                    return null;
                }

                var comma = outer.IndexOf(", ", StringComparison.Ordinal);
                return $"{outer[..comma]}+{name}{outer[comma..]}";
            default:
                return null;
        }
    }

    /// <summary>Runs the type's static constructor and resolves the type of every member it declares or inherits.</summary>
    private static void LoadEverything(Type type)
    {
        if (!type.ContainsGenericParameters)
        {
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
        }

        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        _ = type.BaseType;
        _ = type.GetInterfaces();
        foreach (var member in type.GetMembers(all))
        {
            switch (member)
            {
                case MethodBase method:
                    _ = method.GetParameters().Select(p => p.ParameterType).ToList();
                    if (method is MethodInfo info)
                    {
                        _ = info.ReturnType;
                    }

                    break;
                case PropertyInfo property:
                    _ = property.PropertyType;
                    break;
                case FieldInfo field:
                    _ = field.FieldType;
                    break;
                case EventInfo @event:
                    _ = @event.EventHandlerType;
                    break;
            }
        }
    }
}
