import framework = require('fastify');
export = framework;
