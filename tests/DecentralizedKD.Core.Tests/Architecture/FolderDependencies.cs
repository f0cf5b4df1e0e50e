using DecentralizedKD.TestSupport;
using System.Reflection;

namespace DecentralizedKD.Core.Tests.Architecture;

/// <summary>
/// Which Core folders each Core folder uses, read from the compiled assembly rather than from source text: a file may
/// name a type of a parent namespace without a using line (<c>Memory.FloatBufferPool</c> inside
/// <c>DecentralizedKD.Core.Training</c>), which a text scan misses. A type's folder is the first namespace segment under
/// <c>DecentralizedKD.Core</c> (the root namespace is the folder ""). A type uses every type named by its base type,
/// interfaces, fields, properties, events, method signatures and the tokens of its method bodies (calls, field accesses,
/// casts, allocations), generic arguments and array elements included; compiler-made types (lambdas, iterators, state
/// machines) count for the namespace they were made in.
/// </summary>
public static class FolderDependencies
{
    private const string CorePrefix = "DecentralizedKD.Core";
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static |
                                            BindingFlags.Instance | BindingFlags.DeclaredOnly;
    /// <summary>The folder of a Core namespace ("" for the root), or null for a namespace outside Core.</summary>
    public static string? FolderOf(string? ns)
    {
        if (ns is null) return null;
        if (ns == CorePrefix) return "";
        if (!ns.StartsWith(CorePrefix + ".", StringComparison.Ordinal)) return null;
        string rest = ns[(CorePrefix.Length + 1)..];
        int dot = rest.IndexOf('.');
        return dot < 0 ? rest : rest[..dot];
    }

    /// <summary>
    /// Folder → the other folders it uses, each with one example "UsingType → UsedType" so a failure names the code.
    /// </summary>
    public static SortedDictionary<string, SortedDictionary<string, string>> Of(Assembly core)
    {
        var graph = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in core.GetTypes())
        {
            string? from = FolderOf(type.Namespace);
            if (from is null) continue;
            if (!graph.TryGetValue(from, out var edges)) graph[from] = edges = new(StringComparer.Ordinal);
            foreach (var used in UsedTypes(type))
            {
                string? to = FolderOf(used.Namespace);
                if (to is null || to == from || used.Assembly != core) continue;
                edges.TryAdd(to, $"{Name(type)} → {Name(used)}");
            }
        }
        return graph;
    }

    /// <summary>One cycle of the graph per strongly connected component with more than one folder, as "A → B → … → A".</summary>
    public static IReadOnlyList<string> Cycles(IReadOnlyDictionary<string, SortedDictionary<string, string>> graph)
    {
        var cycles = new List<string>();
        foreach (var component in StronglyConnected(graph).Where(c => c.Count > 1))
        {
            // The shortest cycle through the component's first folder, found breadth-first inside the component.
            string start = component.Min(StringComparer.Ordinal)!;
            var previous = new Dictionary<string, string>();
            var queue = new Queue<string>([start]);
            string? last = null;
            while (queue.Count > 0 && last is null)
            {
                string at = queue.Dequeue();
                foreach (string next in Next(graph, at))
                {
                    if (!component.Contains(next)) continue;
                    if (next == start) { last = at; break; }
                    if (previous.TryAdd(next, at)) queue.Enqueue(next);
                }
            }
            var path = new List<string> { start };
            for (string? at = last; at is not null && at != start; at = previous.GetValueOrDefault(at)) path.Insert(1, at);
            path.Add(start);
            cycles.Add(string.Join(" → ", path.Select(Display)));
        }
        return cycles;
    }

    /// <summary>The folders that use each other in a loop, each component sorted (Tarjan's algorithm).</summary>
    public static IReadOnlyList<SortedSet<string>> StronglyConnected(IReadOnlyDictionary<string, SortedDictionary<string, string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<SortedSet<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (string w in Next(graph, v))
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new SortedSet<string>(StringComparer.Ordinal);
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            components.Add(component);
        }
        foreach (string v in graph.Keys) if (!index.ContainsKey(v)) Visit(v);
        return components;
    }

    private static IEnumerable<string> Next(IReadOnlyDictionary<string, SortedDictionary<string, string>> graph, string folder) =>
        graph.TryGetValue(folder, out var edges) ? edges.Keys : Enumerable.Empty<string>();

    public static string Display(string folder) => folder == "" ? "(root)" : folder;

    private static string Name(Type t) => t.FullName ?? t.Name;

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null) return;
            if (t.HasElementType) { Add(t.GetElementType()); return; }
            if (t.IsGenericParameter) return;
            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                foreach (var a in t.GetGenericArguments()) Add(a);
                t = t.GetGenericTypeDefinition();
            }
            found.Add(t);
        }
        void AddMember(MemberInfo m)
        {
            switch (m)
            {
                case MethodBase mb:
                    Add(mb.DeclaringType);
                    if (mb is MethodInfo mi) Add(mi.ReturnType);
                    foreach (var p in mb.GetParameters()) Add(p.ParameterType);
                    if (mb.IsGenericMethod) foreach (var a in mb.GetGenericArguments()) Add(a);
                    break;
                case FieldInfo f:
                    Add(f.DeclaringType);
                    Add(f.FieldType);
                    break;
                case Type t:
                    Add(t);
                    break;
            }
        }
        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var member in type.GetMembers(Everything))
        {
            switch (member)
            {
                case FieldInfo f: Add(f.FieldType); break;
                case PropertyInfo p: Add(p.PropertyType); break;
                case EventInfo e: Add(e.EventHandlerType); break;
                case MethodBase m:
                    AddMember(m);
                    foreach (var used in BodyTokens(m)) AddMember(used);
                    break;
            }
        }
        return found;
    }

    /// <summary>The members and types a method body names (call, newobj, ldfld, ldtoken, castclass, box, newarr… operands).</summary>
    private static IEnumerable<MemberInfo> BodyTokens(MethodBase method) => IlOperands.Of(method).Select(o => o.Member);
}
