// Most of this project is eval and bench verbs (System.CommandLine commands over the host's services) that time their work and print invariant numbers.
global using System.CommandLine;
global using System.Diagnostics;
global using System.Globalization;
global using Microsoft.Extensions.DependencyInjection;
