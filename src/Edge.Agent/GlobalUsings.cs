global using Edge.Protocol;
