// The CLI is its verbs: System.CommandLine commands over the host's services that print through Spectre.Console with invariant numbers.
global using System.CommandLine;
global using System.Globalization;
global using Microsoft.Extensions.DependencyInjection;
global using Spectre.Console;
