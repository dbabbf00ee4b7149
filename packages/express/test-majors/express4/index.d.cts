import framework = require('express');
export = framework;
