-- expect: error
-- Host functions not granted to an execution do not exist in its host table.
return host.echo('x')
