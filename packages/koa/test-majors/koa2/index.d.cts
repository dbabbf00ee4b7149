import framework = require('koa');
export = framework;
