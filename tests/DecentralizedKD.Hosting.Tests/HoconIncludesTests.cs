using DecentralizedKD.Core;
using DecentralizedKD.Hosting.Config;
using Xunit;

namespace DecentralizedKD.Hosting.Tests;

/// <summary>HOCON include statements are one line naming the file and line; the word elsewhere is left alone.</summary>
public sealed class HoconIncludesTests
{
    [Theory]
    [InlineData("include \"/etc/other.conf\"", 1)]
    [InlineData("experiment {\n  include \"other.conf\"\n}", 2)]
    [InlineData("experiment { x = 1 }\n\nexperiment { include file(\"other.conf\") }", 3)]
    [InlineData("include\trequired(\"other.conf\")", 1)]
    [InlineData("include classpath(\"reference.conf\")", 1)]
    [InlineData("experiment { name = \"\"\"a\nb\"\"\" }\ninclude url(\"http://example.org/x.conf\")", 3)]   // lines counted through a triple-quoted string
    public void An_include_is_refused_with_its_line(string text, int line)
    {
        var e = Assert.Throws<InputException>(() => HoconIncludes.Refuse(text, "t.conf"));
        Assert.StartsWith($"t.conf line {line}: HOCON 'include' is not supported", e.Message);
    }

    [Theory]
    [InlineData("experiment { include = 3 }")]                         // a key named include
    [InlineData("experiment { includes \"x\" }")]                      // a longer word
    [InlineData("experiment { a.include \"x\" }")]                     // part of a path
    [InlineData("experiment { name = \"include \\\"x\\\"\" }")]         // inside a string
    [InlineData("# include \"x.conf\"\nexperiment { // include \"y\"\n a = 1 }")]   // in comments
    public void The_word_outside_an_include_statement_is_left_alone(string text) => HoconIncludes.Refuse(text, "t.conf");
}
