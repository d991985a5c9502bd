"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// node_modules/handlebars/dist/cjs/handlebars/utils.js
var require_utils = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/utils.js"(exports2) {
    "use strict";
    exports2.__esModule = true;
    exports2.extend = extend;
    exports2.indexOf = indexOf;
    exports2.escapeExpression = escapeExpression;
    exports2.isEmpty = isEmpty2;
    exports2.createFrame = createFrame;
    exports2.blockParams = blockParams;
    exports2.appendContextPath = appendContextPath;
    var escape = {
      "&": "&amp;",
      "<": "&lt;",
      ">": "&gt;",
      '"': "&quot;",
      "'": "&#x27;",
      "`": "&#x60;",
      "=": "&#x3D;"
    };
    var badChars = /[&<>"'`=]/g;
    var possible = /[&<>"'`=]/;
    function escapeChar(chr) {
      return escape[chr];
    }
    function extend(obj) {
      for (var i = 1; i < arguments.length; i++) {
        for (var key in arguments[i]) {
          if (Object.prototype.hasOwnProperty.call(arguments[i], key)) {
            obj[key] = arguments[i][key];
          }
        }
      }
      return obj;
    }
    var toString = Object.prototype.toString;
    exports2.toString = toString;
    var isFunction = function isFunction2(value) {
      return typeof value === "function";
    };
    if (isFunction(/x/)) {
      exports2.isFunction = isFunction = function(value) {
        return typeof value === "function" && toString.call(value) === "[object Function]";
      };
    }
    exports2.isFunction = isFunction;
    var isArray = Array.isArray || function(value) {
      return value && typeof value === "object" ? toString.call(value) === "[object Array]" : false;
    };
    exports2.isArray = isArray;
    function indexOf(array, value) {
      for (var i = 0, len = array.length; i < len; i++) {
        if (array[i] === value) {
          return i;
        }
      }
      return -1;
    }
    function escapeExpression(string) {
      if (typeof string !== "string") {
        if (string && typeof string.toHTML === "function") {
          return string.toHTML();
        } else if (string == null) {
          return "";
        } else if (!string) {
          return string + "";
        }
        string = "" + string;
      }
      if (!possible.test(string)) {
        return string;
      }
      return string.replace(badChars, escapeChar);
    }
    function isEmpty2(value) {
      if (!value && value !== 0) {
        return true;
      } else if (isArray(value) && value.length === 0) {
        return true;
      } else {
        return false;
      }
    }
    function createFrame(object) {
      var frame = extend({}, object);
      frame._parent = object;
      return frame;
    }
    function blockParams(params, ids) {
      params.path = ids;
      return params;
    }
    function appendContextPath(contextPath, id) {
      return (contextPath ? contextPath + "." : "") + id;
    }
  }
});

// node_modules/handlebars/dist/cjs/handlebars/exception.js
var require_exception = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/exception.js"(exports2, module2) {
    "use strict";
    exports2.__esModule = true;
    var errorProps = ["description", "fileName", "lineNumber", "endLineNumber", "message", "name", "number", "stack"];
    function Exception(message, node) {
      var loc = node && node.loc, line = void 0, endLineNumber = void 0, column = void 0, endColumn = void 0;
      if (loc && loc.start) {
        line = loc.start.line;
        column = loc.start.column;
        if (loc.end) {
          endLineNumber = loc.end.line;
          endColumn = loc.end.column;
        }
        message += " - " + line + ":" + column;
      }
      var tmp = Error.prototype.constructor.call(this, message);
      for (var idx = 0; idx < errorProps.length; idx++) {
        this[errorProps[idx]] = tmp[errorProps[idx]];
      }
      if (Error.captureStackTrace) {
        Error.captureStackTrace(this, Exception);
      }
      try {
        if (loc) {
          this.lineNumber = line;
          this.endLineNumber = endLineNumber;
          if (Object.defineProperty) {
            Object.defineProperty(this, "column", {
              value: column,
              enumerable: true
            });
            Object.defineProperty(this, "endColumn", {
              value: endColumn,
              enumerable: true
            });
          } else {
            this.column = column;
            this.endColumn = endColumn;
          }
        }
      } catch (nop) {
      }
    }
    Exception.prototype = new Error();
    exports2["default"] = Exception;
    module2.exports = exports2["default"];
  }
});

// node_modules/handlebars/dist/cjs/handlebars/helpers/block-helper-missing.js
var require_block_helper_missing = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/helpers/block-helper-missing.js"(exports2, module2) {
    "use strict";
    exports2.__esModule = true;
    var _utils = require_utils();
    exports2["default"] = function(instance) {
      instance.registerHelper("blockHelperMissing", function(context, options) {
        var inverse = options.inverse, fn = options.fn;
        if (context === true) {
          return fn(this);
        } else if (context === false || context == null) {
          return inverse(this);
        } else if (_utils.isArray(context)) {
          if (context.length > 0) {
            if (options.ids) {
              options.ids = [options.name];
            }
            return instance.helpers.each(context, options);
          } else {
            return inverse(this);
          }
        } else {
          if (options.data && options.ids) {
            var data = _utils.createFrame(options.data);
            data.contextPath = _utils.appendContextPath(options.data.contextPath, options.name);
            options = { data };
          }
          return fn(context, options);
        }
      });
    };
    module2.exports = exports2["default"];
  }
});

// node_modules/handlebars/dist/cjs/handlebars/helpers/each.js
var require_each = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/helpers/each.js"(exports2, module2) {
    "use strict";
    exports2.__esModule = true;
    function _interopRequireDefault(obj) {
      return obj && obj.__esModule ? obj : { "default": obj };
    }
    var _utils = require_utils();
    var _exception = require_exception();
    var _exception2 = _interopRequireDefault(_exception);
    function closeIterator(iterator) {
      try {
        var _close = iterator["return"];
        if (_utils.isFunction(_close)) {
          _close.call(iterator);
        }
      } catch (closeError) {
      }
    }
    exports2["default"] = function(instance) {
      instance.registerHelper("each", function(context, options) {
        if (!options) {
          throw new _exception2["default"]("Must pass iterator to #each");
        }
        var fn = options.fn, inverse = options.inverse, i = 0, ret = "", data = void 0, contextPath = void 0;
        if (options.data && options.ids) {
          contextPath = _utils.appendContextPath(options.data.contextPath, options.ids[0]) + ".";
        }
        if (_utils.isFunction(context)) {
          context = context.call(this);
        }
        if (options.data) {
          data = _utils.createFrame(options.data);
        }
        function execIteration(field, index, last, value) {
          if (data) {
            data.key = field;
            data.index = index;
            data.first = index === 0;
            data.last = !!last;
            if (contextPath) {
              data.contextPath = contextPath + field;
            }
          }
          ret = ret + fn(value, {
            data,
            blockParams: _utils.blockParams([value, field], [contextPath + field, null])
          });
        }
        if (context && typeof context === "object") {
          if (_utils.isArray(context)) {
            for (var j = context.length; i < j; i++) {
              if (i in context) {
                execIteration(i, i, i === context.length - 1, context[i]);
              }
            }
          } else if (typeof Symbol === "function" && context[Symbol.iterator]) {
            var iterator = context[Symbol.iterator]();
            var current = iterator.next();
            while (!current.done) {
              var next = iterator.next();
              try {
                execIteration(i, i, next.done, current.value);
              } catch (e) {
                if (!next.done) {
                  closeIterator(iterator);
                }
                throw e;
              }
              current = next;
              i++;
            }
          } else {
            (function() {
              var priorKey = void 0;
              Object.keys(context).forEach(function(key) {
                if (priorKey !== void 0) {
                  execIteration(priorKey, i - 1, false, context[priorKey]);
                }
                priorKey = key;
                i++;
              });
              if (priorKey !== void 0) {
                execIteration(priorKey, i - 1, true, context[priorKey]);
              }
            })();
          }
        }
        if (i === 0) {
          ret = inverse(this);
        }
        return ret;
      });
    };
    module2.exports = exports2["default"];
  }
});

// node_modules/handlebars/dist/cjs/handlebars/helpers/helper-missing.js
var require_helper_missing = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/helpers/helper-missing.js"(exports2, module2) {
    "use strict";
    exports2.__esModule = true;
    function _interopRequireDefault(obj) {
      return obj && obj.__esModule ? obj : { "default": obj };
    }
    var _exception = require_exception();
    var _exception2 = _interopRequireDefault(_exception);
    exports2["default"] = function(instance) {
      instance.registerHelper("helperMissing", function() {
        if (arguments.length === 1) {
          return void 0;
        } else {
          throw new _exception2["default"]('Missing helper: "' + arguments[arguments.length - 1].name + '"');
        }
      });
    };
    module2.exports = exports2["default"];
  }
});

// node_modules/handlebars/dist/cjs/handlebars/helpers/if.js
var require_if = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/helpers/if.js"(exports2, module2) {
    "use strict";
    exports2.__esModule = true;
    function _interopRequireDefault(obj) {
      return obj && obj.__esModule ? obj : { "default": obj };
    }
    var _utils = require_utils();
    var _exception = require_exception();
    var _exception2 = _interopRequireDefault(_exception);
    exports2["default"] = function(instance) {
      instance.registerHelper("if", function(conditional, options) {
        if (arguments.length != 2) {
          throw new _exception2["default"]("#if requires exactly one argument");
        }
        if (_utils.isFunction(conditional)) {
          conditional = conditional.call(this);
        }
        if (!options.hash.includeZero && !conditional || _utils.isEmpty(conditional)) {
          return options.inverse(this);
        } else {
          return options.fn(this);
        }
      });
      instance.registerHelper("unless", function(conditional, options) {
        if (arguments.length != 2) {
          throw new _exception2["default"]("#unless requires exactly one argument");
        }
        return instance.helpers["if"].call(this, conditional, {
          fn: options.inverse,
          inverse: options.fn,
          hash: options.hash
        });
      });
    };
    module2.exports = exports2["default"];
  }
});

// node_modules/handlebars/dist/cjs/handlebars/helpers/log.js
var require_log = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/helpers/log.js"(exports2, module2) {
    "use strict";
    exports2.__esModule = true;
    exports2["default"] = function(instance) {
      instance.registerHelper("log", function() {
        var args = [void 0], options = arguments[arguments.length - 1];
        for (var i = 0; i < arguments.length - 1; i++) {
          args.push(arguments[i]);
        }
        var level = 1;
        if (options.hash.level != null) {
          level = options.hash.level;
        } else if (options.data && options.data.level != null) {
          level = options.data.level;
        }
        args[0] = level;
        instance.log.apply(instance, args);
      });
    };
    module2.exports = exports2["default"];
  }
});

// node_modules/handlebars/dist/cjs/handlebars/helpers/lookup.js
var require_lookup = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/helpers/lookup.js"(exports2, module2) {
    "use strict";
    exports2.__esModule = true;
    exports2["default"] = function(instance) {
      instance.registerHelper("lookup", function(obj, field, options) {
        if (!obj) {
          return obj;
        }
        return options.lookupProperty(obj, field);
      });
    };
    module2.exports = exports2["default"];
  }
});

// node_modules/handlebars/dist/cjs/handlebars/helpers/with.js
var require_with = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/helpers/with.js"(exports2, module2) {
    "use strict";
    exports2.__esModule = true;
    function _interopRequireDefault(obj) {
      return obj && obj.__esModule ? obj : { "default": obj };
    }
    var _utils = require_utils();
    var _exception = require_exception();
    var _exception2 = _interopRequireDefault(_exception);
    exports2["default"] = function(instance) {
      instance.registerHelper("with", function(context, options) {
        if (arguments.length != 2) {
          throw new _exception2["default"]("#with requires exactly one argument");
        }
        if (_utils.isFunction(context)) {
          context = context.call(this);
        }
        var fn = options.fn;
        if (!_utils.isEmpty(context)) {
          var data = options.data;
          if (options.data && options.ids) {
            data = _utils.createFrame(options.data);
            data.contextPath = _utils.appendContextPath(options.data.contextPath, options.ids[0]);
          }
          return fn(context, {
            data,
            blockParams: _utils.blockParams([context], [data && data.contextPath])
          });
        } else {
          return options.inverse(this);
        }
      });
    };
    module2.exports = exports2["default"];
  }
});

// node_modules/handlebars/dist/cjs/handlebars/helpers.js
var require_helpers = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/helpers.js"(exports2) {
    "use strict";
    exports2.__esModule = true;
    exports2.registerDefaultHelpers = registerDefaultHelpers;
    exports2.moveHelperToHooks = moveHelperToHooks;
    function _interopRequireDefault(obj) {
      return obj && obj.__esModule ? obj : { "default": obj };
    }
    var _helpersBlockHelperMissing = require_block_helper_missing();
    var _helpersBlockHelperMissing2 = _interopRequireDefault(_helpersBlockHelperMissing);
    var _helpersEach = require_each();
    var _helpersEach2 = _interopRequireDefault(_helpersEach);
    var _helpersHelperMissing = require_helper_missing();
    var _helpersHelperMissing2 = _interopRequireDefault(_helpersHelperMissing);
    var _helpersIf = require_if();
    var _helpersIf2 = _interopRequireDefault(_helpersIf);
    var _helpersLog = require_log();
    var _helpersLog2 = _interopRequireDefault(_helpersLog);
    var _helpersLookup = require_lookup();
    var _helpersLookup2 = _interopRequireDefault(_helpersLookup);
    var _helpersWith = require_with();
    var _helpersWith2 = _interopRequireDefault(_helpersWith);
    function registerDefaultHelpers(instance) {
      _helpersBlockHelperMissing2["default"](instance);
      _helpersEach2["default"](instance);
      _helpersHelperMissing2["default"](instance);
      _helpersIf2["default"](instance);
      _helpersLog2["default"](instance);
      _helpersLookup2["default"](instance);
      _helpersWith2["default"](instance);
    }
    function moveHelperToHooks(instance, helperName, keepHelper) {
      if (instance.helpers[helperName]) {
        instance.hooks[helperName] = instance.helpers[helperName];
        if (!keepHelper) {
          instance.helpers[helperName] = void 0;
        }
      }
    }
  }
});

// node_modules/handlebars/dist/cjs/handlebars/decorators/inline.js
var require_inline = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/decorators/inline.js"(exports2, module2) {
    "use strict";
    exports2.__esModule = true;
    var _utils = require_utils();
    exports2["default"] = function(instance) {
      instance.registerDecorator("inline", function(fn, props, container, options) {
        var ret = fn;
        if (!props.partials) {
          props.partials = {};
          ret = function(context, options2) {
            var original = container.partials;
            container.partials = _utils.extend({}, original, props.partials);
            var ret2 = fn(context, options2);
            container.partials = original;
            return ret2;
          };
        }
        props.partials[options.args[0]] = options.fn;
        return ret;
      });
    };
    module2.exports = exports2["default"];
  }
});

// node_modules/handlebars/dist/cjs/handlebars/decorators.js
var require_decorators = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/decorators.js"(exports2) {
    "use strict";
    exports2.__esModule = true;
    exports2.registerDefaultDecorators = registerDefaultDecorators;
    function _interopRequireDefault(obj) {
      return obj && obj.__esModule ? obj : { "default": obj };
    }
    var _decoratorsInline = require_inline();
    var _decoratorsInline2 = _interopRequireDefault(_decoratorsInline);
    function registerDefaultDecorators(instance) {
      _decoratorsInline2["default"](instance);
    }
  }
});

// node_modules/handlebars/dist/cjs/handlebars/logger.js
var require_logger = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/logger.js"(exports2, module2) {
    "use strict";
    exports2.__esModule = true;
    var _utils = require_utils();
    var logger = {
      methodMap: ["debug", "info", "warn", "error"],
      level: "info",
      // Maps a given level value to the `methodMap` indexes above.
      lookupLevel: function lookupLevel(level) {
        if (typeof level === "string") {
          var levelMap = _utils.indexOf(logger.methodMap, level.toLowerCase());
          if (levelMap >= 0) {
            level = levelMap;
          } else {
            level = parseInt(level, 10);
          }
        }
        return level;
      },
      // Can be overridden in the host environment
      log: function log(level) {
        level = logger.lookupLevel(level);
        if (typeof console !== "undefined" && logger.lookupLevel(logger.level) <= level) {
          var method = logger.methodMap[level];
          if (!console[method]) {
            method = "log";
          }
          for (var _len = arguments.length, message = Array(_len > 1 ? _len - 1 : 0), _key = 1; _key < _len; _key++) {
            message[_key - 1] = arguments[_key];
          }
          console[method].apply(console, message);
        }
      }
    };
    exports2["default"] = logger;
    module2.exports = exports2["default"];
  }
});

// node_modules/handlebars/dist/cjs/handlebars/internal/proto-access.js
var require_proto_access = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/internal/proto-access.js"(exports2) {
    "use strict";
    exports2.__esModule = true;
    exports2.createProtoAccessControl = createProtoAccessControl;
    exports2.resultIsAllowed = resultIsAllowed;
    exports2.isPrototypeConstructor = isPrototypeConstructor;
    exports2.resetLoggedProperties = resetLoggedProperties;
    function _interopRequireDefault(obj) {
      return obj && obj.__esModule ? obj : { "default": obj };
    }
    var _utils = require_utils();
    var _logger = require_logger();
    var _logger2 = _interopRequireDefault(_logger);
    var loggedProperties = /* @__PURE__ */ Object.create(null);
    function createProtoAccessControl(runtimeOptions) {
      var propertyWhiteList = /* @__PURE__ */ Object.create(null);
      propertyWhiteList["__proto__"] = false;
      _utils.extend(propertyWhiteList, runtimeOptions.allowedProtoProperties);
      var methodWhiteList = /* @__PURE__ */ Object.create(null);
      methodWhiteList["constructor"] = false;
      methodWhiteList["__defineGetter__"] = false;
      methodWhiteList["__defineSetter__"] = false;
      methodWhiteList["__lookupGetter__"] = false;
      methodWhiteList["__lookupSetter__"] = false;
      _utils.extend(methodWhiteList, runtimeOptions.allowedProtoMethods);
      return {
        properties: {
          whitelist: propertyWhiteList,
          defaultValue: runtimeOptions.allowProtoPropertiesByDefault
        },
        methods: {
          whitelist: methodWhiteList,
          defaultValue: runtimeOptions.allowProtoMethodsByDefault
        }
      };
    }
    function resultIsAllowed(result, protoAccessControl, propertyName) {
      if (typeof result === "function") {
        return checkWhiteList(protoAccessControl.methods, propertyName);
      } else {
        return checkWhiteList(protoAccessControl.properties, propertyName);
      }
    }
    function isPrototypeConstructor(parent, propertyName, result) {
      return propertyName === "constructor" && typeof result === "function" && parent === result.prototype;
    }
    function checkWhiteList(protoAccessControlForType, propertyName) {
      if (protoAccessControlForType.whitelist[propertyName] !== void 0) {
        return protoAccessControlForType.whitelist[propertyName] === true;
      }
      if (protoAccessControlForType.defaultValue !== void 0) {
        return protoAccessControlForType.defaultValue;
      }
      logUnexpecedPropertyAccessOnce(propertyName);
      return false;
    }
    function logUnexpecedPropertyAccessOnce(propertyName) {
      if (loggedProperties[propertyName] !== true) {
        loggedProperties[propertyName] = true;
        _logger2["default"].log("error", 'Handlebars: Access has been denied to resolve the property "' + propertyName + '" because it is not an "own property" of its parent.\nYou can add a runtime option to disable the check or this warning:\nSee https://handlebarsjs.com/api-reference/runtime-options.html#options-to-control-prototype-access for details');
      }
    }
    function resetLoggedProperties() {
      Object.keys(loggedProperties).forEach(function(propertyName) {
        delete loggedProperties[propertyName];
      });
    }
  }
});

// node_modules/handlebars/dist/cjs/handlebars/base.js
var require_base = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/base.js"(exports2) {
    "use strict";
    exports2.__esModule = true;
    exports2.HandlebarsEnvironment = HandlebarsEnvironment;
    function _interopRequireDefault(obj) {
      return obj && obj.__esModule ? obj : { "default": obj };
    }
    var _utils = require_utils();
    var _exception = require_exception();
    var _exception2 = _interopRequireDefault(_exception);
    var _helpers = require_helpers();
    var _decorators = require_decorators();
    var _logger = require_logger();
    var _logger2 = _interopRequireDefault(_logger);
    var _internalProtoAccess = require_proto_access();
    var VERSION = "4.7.10";
    exports2.VERSION = VERSION;
    var COMPILER_REVISION = 8;
    exports2.COMPILER_REVISION = COMPILER_REVISION;
    var LAST_COMPATIBLE_COMPILER_REVISION = 7;
    exports2.LAST_COMPATIBLE_COMPILER_REVISION = LAST_COMPATIBLE_COMPILER_REVISION;
    var REVISION_CHANGES = {
      1: "<= 1.0.rc.2",
      // 1.0.rc.2 is actually rev2 but doesn't report it
      2: "== 1.0.0-rc.3",
      3: "== 1.0.0-rc.4",
      4: "== 1.x.x",
      5: "== 2.0.0-alpha.x",
      6: ">= 2.0.0-beta.1",
      7: ">= 4.0.0 <4.3.0",
      8: ">= 4.3.0"
    };
    exports2.REVISION_CHANGES = REVISION_CHANGES;
    var objectType = "[object Object]";
    function HandlebarsEnvironment(helpers, partials, decorators) {
      this.helpers = helpers || {};
      this.partials = partials || {};
      this.decorators = decorators || {};
      _helpers.registerDefaultHelpers(this);
      _decorators.registerDefaultDecorators(this);
    }
    HandlebarsEnvironment.prototype = {
      constructor: HandlebarsEnvironment,
      logger: _logger2["default"],
      log: _logger2["default"].log,
      registerHelper: function registerHelper(name, fn) {
        if (_utils.toString.call(name) === objectType) {
          if (fn) {
            throw new _exception2["default"]("Arg not supported with multiple helpers");
          }
          _utils.extend(this.helpers, name);
        } else {
          this.helpers[name] = fn;
        }
      },
      unregisterHelper: function unregisterHelper(name) {
        delete this.helpers[name];
      },
      registerPartial: function registerPartial(name, partial) {
        if (_utils.toString.call(name) === objectType) {
          _utils.extend(this.partials, name);
        } else {
          if (typeof partial === "undefined") {
            throw new _exception2["default"]('Attempting to register a partial called "' + name + '" as undefined');
          }
          this.partials[name] = partial;
        }
      },
      unregisterPartial: function unregisterPartial(name) {
        delete this.partials[name];
      },
      registerDecorator: function registerDecorator(name, fn) {
        if (_utils.toString.call(name) === objectType) {
          if (fn) {
            throw new _exception2["default"]("Arg not supported with multiple decorators");
          }
          _utils.extend(this.decorators, name);
        } else {
          this.decorators[name] = fn;
        }
      },
      unregisterDecorator: function unregisterDecorator(name) {
        delete this.decorators[name];
      },
      /**
       * Reset the memory of illegal property accesses that have already been logged.
       * @deprecated should only be used in handlebars test-cases
       */
      resetLoggedPropertyAccesses: function resetLoggedPropertyAccesses() {
        _internalProtoAccess.resetLoggedProperties();
      }
    };
    var log = _logger2["default"].log;
    exports2.log = log;
    exports2.createFrame = _utils.createFrame;
    exports2.logger = _logger2["default"];
  }
});

// node_modules/handlebars/dist/cjs/handlebars/safe-string.js
var require_safe_string = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/safe-string.js"(exports2, module2) {
    "use strict";
    exports2.__esModule = true;
    function SafeString(string) {
      this.string = string;
    }
    SafeString.prototype.toString = SafeString.prototype.toHTML = function() {
      return "" + this.string;
    };
    exports2["default"] = SafeString;
    module2.exports = exports2["default"];
  }
});

// node_modules/handlebars/dist/cjs/handlebars/internal/wrapHelper.js
var require_wrapHelper = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/internal/wrapHelper.js"(exports2) {
    "use strict";
    exports2.__esModule = true;
    exports2.wrapHelper = wrapHelper;
    function wrapHelper(helper, transformOptionsFn) {
      if (typeof helper !== "function") {
        return helper;
      }
      var wrapper = function wrapper2() {
        var options = arguments[arguments.length - 1];
        arguments[arguments.length - 1] = transformOptionsFn(options);
        return helper.apply(this, arguments);
      };
      return wrapper;
    }
  }
});

// node_modules/handlebars/dist/cjs/handlebars/runtime.js
var require_runtime = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/runtime.js"(exports2) {
    "use strict";
    exports2.__esModule = true;
    exports2.checkRevision = checkRevision;
    exports2.template = template;
    exports2.wrapProgram = wrapProgram;
    exports2.resolvePartial = resolvePartial;
    exports2.invokePartial = invokePartial;
    exports2.noop = noop;
    function _interopRequireDefault(obj) {
      return obj && obj.__esModule ? obj : { "default": obj };
    }
    function _interopRequireWildcard(obj) {
      if (obj && obj.__esModule) {
        return obj;
      } else {
        var newObj = {};
        if (obj != null) {
          for (var key in obj) {
            if (Object.prototype.hasOwnProperty.call(obj, key)) newObj[key] = obj[key];
          }
        }
        newObj["default"] = obj;
        return newObj;
      }
    }
    var _utils = require_utils();
    var Utils = _interopRequireWildcard(_utils);
    var _exception = require_exception();
    var _exception2 = _interopRequireDefault(_exception);
    var _base = require_base();
    var _helpers = require_helpers();
    var _internalWrapHelper = require_wrapHelper();
    var _internalProtoAccess = require_proto_access();
    function checkRevision(compilerInfo) {
      var compilerRevision = compilerInfo && compilerInfo[0] || 1, currentRevision = _base.COMPILER_REVISION;
      if (compilerRevision >= _base.LAST_COMPATIBLE_COMPILER_REVISION && compilerRevision <= _base.COMPILER_REVISION) {
        return;
      }
      if (compilerRevision < _base.LAST_COMPATIBLE_COMPILER_REVISION) {
        var runtimeVersions = _base.REVISION_CHANGES[currentRevision], compilerVersions = _base.REVISION_CHANGES[compilerRevision];
        throw new _exception2["default"]("Template was precompiled with an older version of Handlebars than the current runtime. Please update your precompiler to a newer version (" + runtimeVersions + ") or downgrade your runtime to an older version (" + compilerVersions + ").");
      } else {
        throw new _exception2["default"]("Template was precompiled with a newer version of Handlebars than the current runtime. Please update your runtime to a newer version (" + compilerInfo[1] + ").");
      }
    }
    function template(templateSpec2, env) {
      if (!env) {
        throw new _exception2["default"]("No environment passed to template");
      }
      if (!templateSpec2 || !templateSpec2.main) {
        throw new _exception2["default"]("Unknown template object: " + typeof templateSpec2);
      }
      templateSpec2.main.decorator = templateSpec2.main_d;
      env.VM.checkRevision(templateSpec2.compiler);
      var templateWasPrecompiledWithCompilerV7 = templateSpec2.compiler && templateSpec2.compiler[0] === 7;
      function invokePartialWrapper(partial, context, options) {
        if (options.hash) {
          context = Utils.extend({}, context, options.hash);
          if (options.ids) {
            options.ids[0] = true;
          }
        }
        partial = env.VM.resolvePartial.call(this, partial, context, options);
        options.hooks = this.hooks;
        options.protoAccessControl = this.protoAccessControl;
        var result = env.VM.invokePartial.call(this, partial, context, options);
        if (result == null && Utils.isFunction(partial)) {
          throw new _exception2["default"]("The partial " + options.name + " returned no output: partials must return a string");
        }
        if (result == null && env.compile) {
          if (typeof partial !== "string") {
            throw new _exception2["default"]("The partial " + options.name + " could not be compiled: partials must be strings or functions returning strings");
          }
          options.partials[options.name] = env.compile(partial, templateSpec2.compilerOptions, env);
          result = options.partials[options.name](context, options);
        }
        if (result != null) {
          if (options.indent) {
            var lines = result.split("\n");
            for (var i = 0, l = lines.length; i < l; i++) {
              if (!lines[i] && i + 1 === l) {
                break;
              }
              lines[i] = options.indent + lines[i];
            }
            result = lines.join("\n");
          }
          return result;
        } else {
          throw new _exception2["default"]("The partial " + options.name + " could not be compiled when running in runtime-only mode");
        }
      }
      var container = {
        strict: function strict(obj, name, loc) {
          if (!obj || !(name in obj)) {
            throw new _exception2["default"]('"' + name + '" not defined in ' + obj, {
              loc
            });
          }
          return container.lookupProperty(obj, name);
        },
        lookupProperty: function lookupProperty(parent, propertyName) {
          var result = parent[propertyName];
          if (result == null) {
            return result;
          }
          if (Object.prototype.hasOwnProperty.call(parent, propertyName) && !_internalProtoAccess.isPrototypeConstructor(parent, propertyName, result)) {
            return result;
          }
          if (_internalProtoAccess.resultIsAllowed(result, container.protoAccessControl, propertyName)) {
            return result;
          }
          return void 0;
        },
        lookup: function lookup(depths, name) {
          var len = depths.length;
          for (var i = 0; i < len; i++) {
            var result = depths[i] && container.lookupProperty(depths[i], name);
            if (result != null) {
              return result;
            }
          }
        },
        lambda: function lambda(current, context) {
          return typeof current === "function" ? current.call(context) : current;
        },
        escapeExpression: Utils.escapeExpression,
        invokePartial: invokePartialWrapper,
        fn: function fn(i) {
          var ret2 = templateSpec2[i];
          ret2.decorator = templateSpec2[i + "_d"];
          return ret2;
        },
        programs: [],
        program: function program(i, data, declaredBlockParams, blockParams, depths) {
          var programWrapper = this.programs[i], fn = this.fn(i);
          if (data || depths || blockParams || declaredBlockParams) {
            programWrapper = wrapProgram(this, i, fn, data, declaredBlockParams, blockParams, depths);
          } else if (!programWrapper) {
            programWrapper = this.programs[i] = wrapProgram(this, i, fn);
          }
          return programWrapper;
        },
        data: function data(value, depth) {
          while (value && depth--) {
            value = value._parent;
          }
          return value;
        },
        mergeIfNeeded: function mergeIfNeeded(param, common) {
          var obj = param || common;
          if (param && common && param !== common) {
            obj = Utils.extend({}, common, param);
          }
          return obj;
        },
        // An empty object to use as replacement for null-contexts
        nullContext: Object.seal({}),
        noop: env.VM.noop,
        compilerInfo: templateSpec2.compiler
      };
      function ret(context) {
        var options = arguments.length <= 1 || arguments[1] === void 0 ? {} : arguments[1];
        var data = options.data;
        ret._setup(options);
        if (!options.partial && templateSpec2.useData) {
          data = initData(context, data);
        }
        var depths = void 0, blockParams = templateSpec2.useBlockParams ? [] : void 0;
        if (templateSpec2.useDepths) {
          if (options.depths) {
            depths = context != options.depths[0] ? [context].concat(options.depths) : options.depths;
          } else {
            depths = [context];
          }
        }
        function main2(context2) {
          return "" + templateSpec2.main(container, context2, container.helpers, container.partials, data, blockParams, depths);
        }
        main2 = executeDecorators(templateSpec2.main, main2, container, options.depths || [], data, blockParams);
        return main2(context, options);
      }
      ret.isTop = true;
      ret._setup = function(options) {
        if (!options.partial) {
          var mergedHelpers = {};
          addHelpers(mergedHelpers, env.helpers, container);
          addHelpers(mergedHelpers, options.helpers, container);
          container.helpers = mergedHelpers;
          if (templateSpec2.usePartial) {
            container.partials = container.mergeIfNeeded(options.partials, env.partials);
          }
          if (templateSpec2.usePartial || templateSpec2.useDecorators) {
            container.decorators = Utils.extend({}, env.decorators, options.decorators);
          }
          container.hooks = {};
          container.protoAccessControl = _internalProtoAccess.createProtoAccessControl(options);
          var keepHelperInHelpers = options.allowCallsToHelperMissing || templateWasPrecompiledWithCompilerV7;
          _helpers.moveHelperToHooks(container, "helperMissing", keepHelperInHelpers);
          _helpers.moveHelperToHooks(container, "blockHelperMissing", keepHelperInHelpers);
        } else {
          container.protoAccessControl = options.protoAccessControl;
          container.helpers = options.helpers;
          container.partials = options.partials;
          container.decorators = options.decorators;
          container.hooks = options.hooks;
        }
      };
      ret._child = function(i, data, blockParams, depths) {
        if (templateSpec2.useBlockParams && !blockParams) {
          throw new _exception2["default"]("must pass block params");
        }
        if (templateSpec2.useDepths && !depths) {
          throw new _exception2["default"]("must pass parent depths");
        }
        return wrapProgram(container, i, templateSpec2[i], data, 0, blockParams, depths);
      };
      return ret;
    }
    function wrapProgram(container, i, fn, data, declaredBlockParams, blockParams, depths) {
      function prog(context) {
        var options = arguments.length <= 1 || arguments[1] === void 0 ? {} : arguments[1];
        var currentDepths = depths;
        if (depths && context != depths[0] && !(context === container.nullContext && depths[0] === null)) {
          currentDepths = [context].concat(depths);
        }
        return fn(container, context, container.helpers, container.partials, options.data || data, blockParams && [options.blockParams].concat(blockParams), currentDepths);
      }
      prog = executeDecorators(fn, prog, container, depths, data, blockParams);
      prog.program = i;
      prog.depth = depths ? depths.length : 0;
      prog.blockParams = declaredBlockParams || 0;
      return prog;
    }
    function resolvePartial(partial, context, options) {
      if (!partial) {
        if (options.name === "@partial-block") {
          partial = lookupOwnProperty(options.data, "partial-block");
        } else {
          partial = lookupOwnProperty(options.partials, options.name);
        }
      } else if (typeof partial !== "function" && !options.name) {
        options.name = partial;
        partial = lookupOwnProperty(options.partials, partial);
      }
      return partial;
    }
    function invokePartial(partial, context, options) {
      var currentPartialBlock = lookupOwnProperty(options.data, "partial-block");
      options.partial = true;
      if (options.ids) {
        options.data.contextPath = options.ids[0] || options.data.contextPath;
      }
      var partialBlock = void 0;
      if (options.fn && options.fn !== noop) {
        (function() {
          options.data = _base.createFrame(options.data);
          var fn = options.fn;
          partialBlock = options.data["partial-block"] = function partialBlockWrapper(context2) {
            var options2 = arguments.length <= 1 || arguments[1] === void 0 ? {} : arguments[1];
            options2.data = _base.createFrame(options2.data);
            options2.data["partial-block"] = currentPartialBlock;
            return fn(context2, options2);
          };
          if (fn.partials) {
            options.partials = Utils.extend({}, options.partials, fn.partials);
          }
        })();
      }
      if (partial === void 0 && partialBlock) {
        partial = partialBlock;
      }
      if (partial === void 0) {
        throw new _exception2["default"]("The partial " + options.name + " could not be found");
      } else if (partial instanceof Function) {
        return partial(context, options);
      }
    }
    function noop() {
      return "";
    }
    function lookupOwnProperty(obj, name) {
      if (obj && Object.prototype.hasOwnProperty.call(obj, name)) {
        return obj[name];
      }
    }
    function initData(context, data) {
      if (!data || !("root" in data)) {
        data = data ? _base.createFrame(data) : {};
        data.root = context;
      }
      return data;
    }
    function executeDecorators(fn, prog, container, depths, data, blockParams) {
      if (fn.decorator) {
        var props = {};
        prog = fn.decorator(prog, props, container, depths && depths[0], data, blockParams, depths);
        Utils.extend(prog, props);
      }
      return prog;
    }
    function addHelpers(mergedHelpers, helpers, container) {
      if (!helpers) return;
      Object.keys(helpers).forEach(function(helperName) {
        var helper = helpers[helperName];
        mergedHelpers[helperName] = passLookupPropertyOption(helper, container);
      });
    }
    function passLookupPropertyOption(helper, container) {
      var lookupProperty = container.lookupProperty;
      return _internalWrapHelper.wrapHelper(helper, function(options) {
        options.lookupProperty = lookupProperty;
        return options;
      });
    }
  }
});

// node_modules/handlebars/dist/cjs/handlebars/no-conflict.js
var require_no_conflict = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars/no-conflict.js"(exports2, module2) {
    "use strict";
    exports2.__esModule = true;
    exports2["default"] = function(Handlebars) {
      (function() {
        if (typeof globalThis === "object") return;
        Object.prototype.__defineGetter__("__magic__", function() {
          return this;
        });
        __magic__.globalThis = __magic__;
        delete Object.prototype.__magic__;
      })();
      var $Handlebars = globalThis.Handlebars;
      Handlebars.noConflict = function() {
        if (globalThis.Handlebars === Handlebars) {
          globalThis.Handlebars = $Handlebars;
        }
        return Handlebars;
      };
    };
    module2.exports = exports2["default"];
  }
});

// node_modules/handlebars/dist/cjs/handlebars.runtime.js
var require_handlebars_runtime = __commonJS({
  "node_modules/handlebars/dist/cjs/handlebars.runtime.js"(exports2, module2) {
    "use strict";
    exports2.__esModule = true;
    function _interopRequireDefault(obj) {
      return obj && obj.__esModule ? obj : { "default": obj };
    }
    function _interopRequireWildcard(obj) {
      if (obj && obj.__esModule) {
        return obj;
      } else {
        var newObj = {};
        if (obj != null) {
          for (var key in obj) {
            if (Object.prototype.hasOwnProperty.call(obj, key)) newObj[key] = obj[key];
          }
        }
        newObj["default"] = obj;
        return newObj;
      }
    }
    var _handlebarsBase = require_base();
    var base = _interopRequireWildcard(_handlebarsBase);
    var _handlebarsSafeString = require_safe_string();
    var _handlebarsSafeString2 = _interopRequireDefault(_handlebarsSafeString);
    var _handlebarsException = require_exception();
    var _handlebarsException2 = _interopRequireDefault(_handlebarsException);
    var _handlebarsUtils = require_utils();
    var Utils = _interopRequireWildcard(_handlebarsUtils);
    var _handlebarsRuntime = require_runtime();
    var runtime = _interopRequireWildcard(_handlebarsRuntime);
    var _handlebarsNoConflict = require_no_conflict();
    var _handlebarsNoConflict2 = _interopRequireDefault(_handlebarsNoConflict);
    function create() {
      var hb = new base.HandlebarsEnvironment();
      Utils.extend(hb, base);
      hb.SafeString = _handlebarsSafeString2["default"];
      hb.Exception = _handlebarsException2["default"];
      hb.Utils = Utils;
      hb.escapeExpression = Utils.escapeExpression;
      hb.VM = runtime;
      hb.template = function(spec) {
        return runtime.template(spec, hb);
      };
      return hb;
    }
    var inst = create();
    inst.create = create;
    _handlebarsNoConflict2["default"](inst);
    inst["default"] = inst;
    exports2["default"] = inst;
    module2.exports = exports2["default"];
  }
});

// node_modules/handlebars/runtime.js
var require_runtime2 = __commonJS({
  "node_modules/handlebars/runtime.js"(exports2, module2) {
    module2.exports = require_handlebars_runtime()["default"];
  }
});

// node_modules/minimist/index.js
var require_minimist = __commonJS({
  "node_modules/minimist/index.js"(exports2, module2) {
    "use strict";
    function hasKey(obj, keys) {
      var o = obj;
      keys.slice(0, -1).forEach(function(key2) {
        o = o[key2] || {};
      });
      var key = keys[keys.length - 1];
      return key in o;
    }
    function isNumber(x) {
      if (typeof x === "number") {
        return true;
      }
      if (/^0x[0-9a-f]+$/i.test(x)) {
        return true;
      }
      return /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(e[-+]?\d+)?$/.test(x);
    }
    function isConstructorOrProto(obj, key) {
      return key === "constructor" && typeof obj[key] === "function" || key === "__proto__";
    }
    module2.exports = function(args, opts) {
      if (!opts) {
        opts = {};
      }
      var flags = {
        bools: {},
        strings: {},
        unknownFn: null
      };
      if (typeof opts.unknown === "function") {
        flags.unknownFn = opts.unknown;
      }
      if (typeof opts.boolean === "boolean" && opts.boolean) {
        flags.allBools = true;
      } else {
        [].concat(opts.boolean).filter(Boolean).forEach(function(key2) {
          flags.bools[key2] = true;
        });
      }
      var aliases = {};
      function aliasIsBoolean(key2) {
        return aliases[key2].some(function(x) {
          return flags.bools[x];
        });
      }
      Object.keys(opts.alias || {}).forEach(function(key2) {
        aliases[key2] = [].concat(opts.alias[key2]);
        aliases[key2].forEach(function(x) {
          aliases[x] = [key2].concat(aliases[key2].filter(function(y) {
            return x !== y;
          }));
        });
      });
      [].concat(opts.string).filter(Boolean).forEach(function(key2) {
        flags.strings[key2] = true;
        if (aliases[key2]) {
          [].concat(aliases[key2]).forEach(function(k) {
            flags.strings[k] = true;
          });
        }
      });
      var defaults = opts.default || {};
      var argv = { _: [] };
      function argDefined(key2, arg2) {
        return flags.allBools && /^--[^=]+$/.test(arg2) || flags.strings[key2] || flags.bools[key2] || aliases[key2];
      }
      function setKey(obj, keys, value2) {
        var o = obj;
        for (var i2 = 0; i2 < keys.length - 1; i2++) {
          var key2 = keys[i2];
          if (isConstructorOrProto(o, key2)) {
            return;
          }
          if (o[key2] === void 0) {
            o[key2] = {};
          }
          if (o[key2] === Object.prototype || o[key2] === Number.prototype || o[key2] === String.prototype) {
            o[key2] = {};
          }
          if (o[key2] === Array.prototype) {
            o[key2] = [];
          }
          o = o[key2];
        }
        var lastKey = keys[keys.length - 1];
        if (isConstructorOrProto(o, lastKey)) {
          return;
        }
        if (o === Object.prototype || o === Number.prototype || o === String.prototype) {
          o = {};
        }
        if (o === Array.prototype) {
          o = [];
        }
        if (o[lastKey] === void 0 || flags.bools[lastKey] || typeof o[lastKey] === "boolean") {
          o[lastKey] = value2;
        } else if (Array.isArray(o[lastKey])) {
          o[lastKey].push(value2);
        } else {
          o[lastKey] = [o[lastKey], value2];
        }
      }
      function setArg(key2, val, arg2) {
        if (arg2 && flags.unknownFn && !argDefined(key2, arg2)) {
          if (flags.unknownFn(arg2) === false) {
            return;
          }
        }
        var value2 = !flags.strings[key2] && isNumber(val) ? Number(val) : val;
        setKey(argv, key2.split("."), value2);
        (aliases[key2] || []).forEach(function(x) {
          setKey(argv, x.split("."), value2);
        });
      }
      Object.keys(flags.bools).forEach(function(key2) {
        setArg(key2, defaults[key2] === void 0 ? false : defaults[key2]);
      });
      var notFlags = [];
      if (args.indexOf("--") !== -1) {
        notFlags = args.slice(args.indexOf("--") + 1);
        args = args.slice(0, args.indexOf("--"));
      }
      for (var i = 0; i < args.length; i++) {
        var arg = args[i];
        var key;
        var next;
        if (/^--.+=/.test(arg)) {
          var m = arg.match(/^--([^=]+)=([\s\S]*)$/);
          key = m[1];
          var value = m[2];
          if (flags.bools[key]) {
            value = value !== "false";
          }
          setArg(key, value, arg);
        } else if (/^--no-.+/.test(arg)) {
          key = arg.match(/^--no-(.+)/)[1];
          setArg(key, false, arg);
        } else if (/^--.+/.test(arg)) {
          key = arg.match(/^--(.+)/)[1];
          next = args[i + 1];
          if (next !== void 0 && !/^(-|--)[^-]/.test(next) && !flags.bools[key] && !flags.allBools && (aliases[key] ? !aliasIsBoolean(key) : true)) {
            setArg(key, next, arg);
            i += 1;
          } else if (/^(true|false)$/.test(next)) {
            setArg(key, next === "true", arg);
            i += 1;
          } else {
            setArg(key, flags.strings[key] ? "" : true, arg);
          }
        } else if (/^-[^-]+/.test(arg)) {
          var letters = arg.slice(1, -1).split("");
          var broken = false;
          for (var j = 0; j < letters.length; j++) {
            next = arg.slice(j + 2);
            if (next === "-") {
              setArg(letters[j], next, arg);
              continue;
            }
            if (/[A-Za-z]/.test(letters[j]) && next[0] === "=") {
              setArg(letters[j], next.slice(1), arg);
              broken = true;
              break;
            }
            if (/[A-Za-z]/.test(letters[j]) && /-?\d+(\.\d*)?(e-?\d+)?$/.test(next)) {
              setArg(letters[j], next, arg);
              broken = true;
              break;
            }
            if (letters[j + 1] && letters[j + 1].match(/\W/)) {
              setArg(letters[j], arg.slice(j + 2), arg);
              broken = true;
              break;
            } else {
              setArg(letters[j], flags.strings[letters[j]] ? "" : true, arg);
            }
          }
          key = arg.slice(-1)[0];
          if (!broken && key !== "-") {
            if (args[i + 1] && !/^(-|--)[^-]/.test(args[i + 1]) && !flags.bools[key] && (aliases[key] ? !aliasIsBoolean(key) : true)) {
              setArg(key, args[i + 1], arg);
              i += 1;
            } else if (args[i + 1] && /^(true|false)$/.test(args[i + 1])) {
              setArg(key, args[i + 1] === "true", arg);
              i += 1;
            } else {
              setArg(key, flags.strings[key] ? "" : true, arg);
            }
          }
        } else {
          if (!flags.unknownFn || flags.unknownFn(arg) !== false) {
            argv._.push(flags.strings._ || !isNumber(arg) ? arg : Number(arg));
          }
          if (opts.stopEarly) {
            argv._.push.apply(argv._, args.slice(i + 1));
            break;
          }
        }
      }
      Object.keys(defaults).forEach(function(k) {
        if (!hasKey(argv, k.split("."))) {
          setKey(argv, k.split("."), defaults[k]);
          (aliases[k] || []).forEach(function(x) {
            setKey(argv, x.split("."), defaults[k]);
          });
        }
      });
      if (opts["--"]) {
        argv["--"] = notFlags.slice();
      } else {
        notFlags.forEach(function(k) {
          argv._.push(k);
        });
      }
      return argv;
    };
  }
});

// handlers/cli/watch-members.ts
var watch_members_exports = {};
__export(watch_members_exports, {
  watchMemberChanges: () => watchMemberChanges
});
function watchMemberChanges(monitorCmd, wake, log) {
  const child = (0, import_node_child_process2.spawn)("/bin/sh", ["-c", `exec ${monitorCmd}`], { stdio: ["ignore", "pipe", "ignore"] });
  (0, import_node_readline.createInterface)({ input: child.stdout }).on("line", (line) => {
    if (MEMBER_CHANGE.test(line)) wake();
  });
  child.on("error", () => {
  });
  child.on("close", (code) => {
    log("warn", "member watch ended; starting it again in 1 s", { code: code ?? void 0 });
    setTimeout(() => watchMemberChanges(monitorCmd, wake, log), 1e3);
  });
}
var import_node_child_process2, import_node_readline, MEMBER_CHANGE;
var init_watch_members = __esm({
  "handlers/cli/watch-members.ts"() {
    "use strict";
    import_node_child_process2 = require("node:child_process");
    import_node_readline = require("node:readline");
    MEMBER_CHANGE = /serf: EventMember(Join|Leave|Failed|Update|Reap): /;
  }
});

// handlers/cli/run-entry.ts
var run_entry_exports = {};
__export(run_entry_exports, {
  handOverRefusal: () => handOverRefusal,
  main: () => main,
  processIo: () => processIo,
  runEntry: () => runEntry
});
module.exports = __toCommonJS(run_entry_exports);
var import_node_events = require("node:events");

// handlers/members/validate-member.ts
var import_node_net = require("node:net");

// handlers/members/special-address.ts
function ipv4Kind([a, b, c, d]) {
  if (a === 0) return "unspecified";
  if (a === 127) return "loopback";
  if (a === 169 && b === 254) return "link-local";
  if (a >= 224 && a <= 239) return "multicast";
  if (a === 255 && b === 255 && c === 255 && d === 255) return "broadcast";
  return void 0;
}
function ipv6Bytes(address) {
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = tail ? `${address.slice(0, -tail[0].length)}0:0` : address;
  const [head = "", rest] = text.split("::");
  const before = head === "" ? [] : head.split(":");
  const after = rest === void 0 || rest === "" ? [] : rest.split(":");
  const groups = rest === void 0 ? before : [...before, ...Array(8 - before.length - after.length).fill("0"), ...after];
  const bytes = groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 255];
  });
  if (tail) bytes.splice(12, 4, ...tail.slice(1).map(Number));
  return bytes;
}
var startsWith = (bytes, prefix) => prefix.every((b, i) => bytes[i] === b);
var zeros = (n) => Array(n).fill(0);
function embeddedIpv4(bytes) {
  if (startsWith(bytes, zeros(12)) || startsWith(bytes, [...zeros(10), 255, 255]) || startsWith(bytes, [...zeros(8), 255, 255, 0, 0])) return bytes.slice(12);
  if (startsWith(bytes, [0, 100, 255, 155, ...zeros(8)])) return bytes.slice(12);
  if (startsWith(bytes, [0, 100, 255, 155, 0, 1])) return [bytes[6], bytes[7], bytes[9], bytes[10]];
  if (startsWith(bytes, [32, 2])) return bytes.slice(2, 6);
  return void 0;
}
function specialKind(address) {
  if (!address.includes(":")) return ipv4Kind(address.split(".").map(Number));
  const bytes = ipv6Bytes(address);
  if (bytes.every((b) => b === 0)) return "unspecified";
  if (startsWith(bytes, [...zeros(15), 1])) return "loopback";
  if (bytes[0] === 254 && (bytes[1] & 192) === 128) return "link-local";
  if (bytes[0] === 255) return "multicast";
  const ipv4 = embeddedIpv4(bytes);
  return ipv4 ? ipv4Kind(ipv4) : void 0;
}

// handlers/members/validate-member.ts
var NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
var DECIMAL = /^[0-9]{1,5}$/;
var IPV4 = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
var DEFAULT_PORT = 3e3;
var DEFAULT_WEIGHT = 1;
var MAX_WEIGHT = 256;
var InvalidMember = class extends Error {
};
function quoted(value) {
  const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
  return JSON.stringify(shown);
}
function checkName(name) {
  if (!NODE_NAME.test(name)) {
    throw new InvalidMember(`node name must match ${NODE_NAME.source}, got ${quoted(name)}`);
  }
  return name;
}
function checkAddress(address) {
  if (!IPV4.test(address) && !(/^[0-9A-Fa-f:.]+$/.test(address) && (0, import_node_net.isIPv6)(address))) {
    throw new InvalidMember(`address must be an IPv4 or IPv6 literal, got ${quoted(address)}`);
  }
  const kind = specialKind(address);
  if (kind) throw new InvalidMember(`address ${quoted(address)} is ${kind}, not a backend's own address`);
  return address;
}
function checkInteger(what, value, fallback2, min, max) {
  if (value === void 0) return fallback2;
  const n = DECIMAL.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) {
    throw new InvalidMember(`${what} tag must be an integer from ${min} to ${max}, got ${quoted(value)}`);
  }
  return n;
}

// handlers/members/tags.ts
function readTags(tags) {
  const sorted = [...tags].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  return {
    port: checkInteger("port", tags.get("port"), DEFAULT_PORT, 1, 65535),
    weight: checkInteger("weight", tags.get("weight"), DEFAULT_WEIGHT, 0, MAX_WEIGHT),
    // fromEntries defines own properties, so a `__proto__` tag stays a plain key.
    all: Object.fromEntries(sorted)
  };
}
var TEMPLATE_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
var TEMPLATE_VALUE = /^[A-Za-z0-9_.:/@+=,-]{0,128}$/;
function templateTags(tags) {
  const shown = [];
  const hidden = [];
  for (const [key, value] of Object.entries(tags)) {
    if (TEMPLATE_KEY.test(key) && TEMPLATE_VALUE.test(value)) shown.push([key, value]);
    else hidden.push(key);
  }
  return { shown: Object.fromEntries(shown), hidden };
}

// handlers/pool/server.ts
function sameServer(a, b) {
  return a.name === b.name && a.address === b.address && a.port === b.port && a.weight === b.weight && JSON.stringify(a.tags) === JSON.stringify(b.tags);
}
function byName(a, b) {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
function toServer(member, updated) {
  const name = checkName(member.name);
  const address = checkAddress(member.address);
  const { port, weight, all } = readTags(member.tags);
  return { name, address, port, weight, tags: all, updated };
}

// handlers/pipeline/decide-changes.ts
function eachMember(members, decide) {
  const verdict = { changes: [], rejected: [], ignored: [], warnings: [] };
  for (const member of members) {
    try {
      decide(member, verdict);
    } catch (error) {
      if (!(error instanceof InvalidMember)) throw error;
      verdict.rejected.push(`member ${quoted(member.name)}: ${error.message}`);
    }
  }
  return verdict;
}
function isOurs(member, rules, verdict) {
  if (member.role === rules.role) return true;
  verdict.ignored.push(`${checkName(member.name)}: role ${quoted(member.role)} is not ${quoted(rules.role)}`);
  return false;
}
function put(member, current, rules, verdict) {
  const server = toServer(member, rules.now);
  verdict.changes.push({ kind: "put", server });
  const old = current.find((c) => c.name === server.name);
  const { hidden } = templateTags(server.tags);
  if (hidden.length > 0 && !(old && sameServer(old, server))) {
    verdict.warnings.push({ msg: "tags hidden from the template", reason: `${server.name}: ${hidden.map(quoted).join(", ")} (not a plain key and token)` });
  }
}
function putMembers(members, current, rules) {
  return eachMember(members, (member, verdict) => {
    if (isOurs(member, rules, verdict)) put(member, current, rules, verdict);
  });
}
function putOrRemoveMembers(members, current, rules) {
  return eachMember(members, (member, verdict) => {
    if (isOurs(member, rules, verdict)) put(member, current, rules, verdict);
    else verdict.changes.push({ kind: "remove", name: member.name });
  });
}
function removeMembers(members, _current, _rules) {
  return eachMember(members, (member, verdict) => {
    verdict.changes.push({ kind: "remove", name: checkName(member.name) });
  });
}
function keepOnlyMembers(members, current, rules) {
  const verdict = putMembers(members, current, rules);
  const keep = new Set(verdict.changes.map((c) => c.kind === "put" ? c.server.name : c.name));
  const gone = current.map(({ name }) => name).filter((name) => !keep.has(name));
  if (rules.mayRemove === false && gone.length > 0) {
    verdict.warnings.push({ msg: "removals refused", reason: `serf members lists no member but the agent itself, which has not rejoined its cluster: kept ${gone.length} server(s) it does not list (${gone.join(", ")})` });
    return verdict;
  }
  for (const name of gone) verdict.changes.push({ kind: "remove", name });
  return verdict;
}
function keepStore(_members, _current, _rules) {
  return { changes: [], rejected: [], ignored: [], warnings: [] };
}

// handlers/pipeline/events.ts
var EVENTS = {
  "member-join": { members: "event", decide: putMembers, haproxy: "apply", removal: "drain" },
  "member-update": { members: "event", decide: putOrRemoveMembers, haproxy: "apply", removal: "drain" },
  "member-leave": { members: "event-names", decide: removeMembers, haproxy: "apply", removal: "drain" },
  // A failed member gets no new request at all, not even a sticky client's.
  "member-failed": { members: "event-names", decide: removeMembers, haproxy: "apply", removal: "maint" },
  "member-reap": { members: "event-names", decide: removeMembers, haproxy: "apply", removal: "maint" },
  reconcile: { members: "serf", decide: keepOnlyMembers, haproxy: "apply", removal: "drain" },
  render: { members: "none", decide: keepStore, haproxy: "starting", removal: "maint" }
};

// handlers/pipeline/pipeline.ts
var import_promises8 = require("node:fs/promises");

// handlers/haproxy/admin-socket.ts
var import_node_net2 = require("node:net");
var AdminSocketUnavailable = class extends Error {
};
var UNAVAILABLE = /* @__PURE__ */ new Set(["ENOENT", "ECONNREFUSED", "ENOTSOCK", "EACCES"]);
function adminSocket(path, timeoutMs = 5e3) {
  return (command) => new Promise((resolve, reject) => {
    const socket = (0, import_node_net2.connect)(path);
    let answer2 = "";
    socket.setEncoding("utf8");
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer from ${path} within ${timeoutMs} ms to '${command}'`)));
    socket.on("connect", () => socket.end(`${command}
`));
    socket.on("data", (chunk) => answer2 += chunk);
    socket.on("end", () => resolve(answer2));
    socket.on("error", (error) => {
      reject(error.code && UNAVAILABLE.has(error.code) ? new AdminSocketUnavailable(`admin socket ${path}: ${error.code}`, { cause: error }) : error);
    });
  });
}

// handlers/haproxy/server-lines.ts
var SECTION = /^(global|defaults|frontend|backend|listen|userlist|peers|resolvers|cache|program|http-errors|ring|mailers)\b/;
var words = (line) => line.trim().split(/\s+/);
function isServerLine(line) {
  return /^\s+server\s/.test(line);
}
function serverLines(config, backend) {
  const servers = /* @__PURE__ */ new Map();
  let inBackend = false;
  let defaults = [];
  for (const line of config.split("\n")) {
    if (SECTION.test(line)) {
      const [keyword2, name] = words(line);
      inBackend = keyword2 === "backend" && name === backend;
      continue;
    }
    if (!inBackend) continue;
    const [keyword, ...rest] = words(line);
    if (keyword === "default-server") defaults = defaults.concat(rest);
    else if (keyword === "server" && rest.length >= 2) servers.set(rest[0], { name: rest[0], hostport: rest[1], args: defaults.concat(rest.slice(2)) });
  }
  return servers;
}
function configSkeleton(config) {
  return config.split("\n").filter((line) => !isServerLine(line)).join("\n");
}
function argument(line, keyword) {
  const at = line.args.lastIndexOf(keyword);
  return at === -1 ? void 0 : line.args[at + 1];
}

// handlers/haproxy/sync-runtime.ts
var import_promises = require("node:timers/promises");

// handlers/haproxy/runtime-state.ts
var RuntimeStateError = class extends Error {
};
function parseServersState(text) {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  if (lines[0] !== "1") throw new RuntimeStateError(`expected 'show servers state' format 1, got ${JSON.stringify(lines[0] ?? "")}`);
  const column = columnsOf(lines[1], "show servers state");
  const at = { name: column("srv_name"), address: column("srv_addr"), port: column("srv_port"), op: column("srv_op_state"), admin: column("srv_admin_state"), weight: column("srv_uweight") };
  return lines.slice(2).map((line) => {
    const fields = line.split(" ");
    return {
      name: fields[at.name],
      address: fields[at.address],
      port: Number(fields[at.port]),
      opState: Number(fields[at.op]),
      adminState: Number(fields[at.admin]),
      weight: Number(fields[at.weight])
    };
  });
}
function columnsOf(header, command) {
  if (!header?.startsWith("#")) throw new RuntimeStateError(`no column header in '${command}': ${JSON.stringify(header ?? "")}`);
  const columns = header.replace(/^#\s*/, "").split(" ");
  return (name) => {
    const at = columns.indexOf(name);
    if (at === -1) throw new RuntimeStateError(`'${command}' has no ${name} column`);
    return at;
  };
}
function parseConnectionsInUse(text, backend) {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const column = columnsOf(lines[0], `show servers conn ${backend}`);
  const at = { id: column("bkname/svname"), used: column("used_cur") };
  const inUse = /* @__PURE__ */ new Map();
  for (const line of lines.slice(1)) {
    const fields = line.split(" ");
    inUse.set(fields[at.id].slice(backend.length + 1), Number(fields[at.used]));
  }
  return inUse;
}
function succeeded(answer2) {
  const text = answer2.trim();
  return text === "" || /^(New server registered\.|Server deleted\.)$/.test(text);
}

// handlers/haproxy/sync-runtime.ts
var RuntimeCommandError = class extends Error {
};
function withoutWeight(args) {
  const kept = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "weight") i++;
    else kept.push(args[i]);
  }
  return kept.join(" ");
}
var sameButWeight = (a, b) => a.hostport === b.hostport && (a.args.join(" ") === b.args.join(" ") || withoutWeight(a.args) === withoutWeight(b.args));
function hostportOf(server) {
  return server.address.includes(":") ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
}
function planRuntime(wanted, filed, running) {
  const changes = { add: [], replace: [], reweight: [], remove: [] };
  const runningByName = new Map(running.map((s) => [s.name, s]));
  for (const line of wanted.values()) {
    const now = runningByName.get(line.name);
    if (!now) {
      changes.add.push(line);
      continue;
    }
    const before = filed.get(line.name);
    if (hostportOf(now) !== line.hostport || !before || !sameButWeight(before, line)) {
      changes.replace.push(line);
      continue;
    }
    const weight = argument(line, "weight") ?? "1";
    if (String(now.weight) !== weight) changes.reweight.push({ name: line.name, weight });
  }
  for (const server of running) if (!wanted.has(server.name)) changes.remove.push(server.name);
  return changes;
}
function isEmpty(changes) {
  return changes.add.length + changes.replace.length + changes.reweight.length + changes.remove.length === 0;
}
var BATCH = 50;
async function must(admin, ...commands) {
  const command = commands.join("; ");
  const answer2 = await admin(command);
  const refusal = answer2.split("\n").find((line) => !succeeded(line));
  if (refusal !== void 0) throw new RuntimeCommandError(`'${command}': ${refusal.trim()}`);
}
async function mustInBatches(admin, commands) {
  for (let i = 0; i < commands.length; i += BATCH) await must(admin, ...commands.slice(i, i + BATCH));
}
async function addServer(admin, backend, line) {
  const id = `${backend}/${line.name}`;
  const health = line.args.includes("check") ? [`enable health ${id}`] : [];
  await must(admin, `add server ${id} ${line.hostport} ${line.args.join(" ")}`.trimEnd(), ...health, `enable server ${id}`);
}
async function deleteServer(admin, backend, name) {
  const id = `${backend}/${name}`;
  await must(admin, `set server ${id} state maint`, `shutdown sessions server ${id}`);
  await must(admin, `del server ${id}`);
}
async function drainThenDelete(admin, names, settings) {
  const { backend, drainMs, pollMs = 50 } = settings;
  const state = settings.removal;
  await mustInBatches(admin, names.map((name) => `set server ${backend}/${name} state ${state}`));
  const deadline = Date.now() + drainMs;
  let waiting = [...names];
  while (waiting.length > 0 && Date.now() < deadline) {
    const inUse = parseConnectionsInUse(await admin(`show servers conn ${backend}`), backend);
    const idle = waiting.filter((name) => (inUse.get(name) ?? 0) === 0);
    for (const name of idle) await deleteServer(admin, backend, name);
    waiting = waiting.filter((name) => !idle.includes(name));
    if (waiting.length > 0) await (0, import_promises.setTimeout)(pollMs);
  }
  for (const name of waiting) await deleteServer(admin, backend, name);
  return waiting.length;
}
async function applyRuntime(changes, settings, admin) {
  const { backend } = settings;
  for (const line of changes.add) await addServer(admin, backend, line);
  await mustInBatches(admin, changes.reweight.map(({ name, weight }) => `set server ${backend}/${name} weight ${weight}`));
  for (const line of changes.replace) {
    await deleteServer(admin, backend, line.name);
    await addServer(admin, backend, line);
  }
  const cut = await drainThenDelete(admin, changes.remove, settings);
  return { added: changes.add.length + changes.replace.length, removed: changes.remove.length, reweighted: changes.reweight.length, cut };
}
async function runningServers(admin, backend) {
  return parseServersState(await admin(`show servers state ${backend}`));
}

// handlers/haproxy/change-haproxy.ts
var CLI_UNSAFE = /[;\\]/;
async function changeRunningHaproxy(rendered, live, target, admin) {
  if (live === void 0) return { path: "unavailable", reason: "no installed config yet" };
  if (configSkeleton(rendered) !== configSkeleton(live)) return { path: "reload", reason: "the config changed outside its server lines" };
  const wanted = serverLines(rendered, target.backend);
  for (const line of wanted.values()) {
    if (CLI_UNSAFE.test(`${line.name} ${line.hostport} ${line.args.join(" ")}`)) {
      return { path: "reload", reason: `server ${line.name}'s line has a character the runtime API would misread` };
    }
  }
  try {
    const changes = planRuntime(wanted, serverLines(live, target.backend), await runningServers(admin, target.backend));
    if (isEmpty(changes)) return { path: "runtime", result: { added: 0, removed: 0, reweighted: 0, cut: 0 } };
    return { path: "runtime", result: await applyRuntime(changes, target, admin) };
  } catch (error) {
    if (error instanceof AdminSocketUnavailable) return { path: "unavailable", reason: error.message };
    if (error instanceof RuntimeCommandError || error instanceof RuntimeStateError) return { path: "reload", reason: `runtime API refused: ${error.message}` };
    throw error;
  }
}

// handlers/haproxy/install-config.ts
var import_promises3 = require("node:fs/promises");

// handlers/os/atomic-write.ts
var import_promises2 = require("node:fs/promises");
var import_node_path = require("node:path");
var written = 0;
function tempPathFor(path) {
  return (0, import_node_path.join)((0, import_node_path.dirname)(path), `.${(0, import_node_path.basename)(path)}.${process.pid}.${++written}.tmp`);
}
async function writeFileAtomic(path, data, mode = 420) {
  const temp = tempPathFor(path);
  try {
    await writeFileSynced(temp, data, mode);
    await (0, import_promises2.rename)(temp, path);
  } catch (error) {
    await (0, import_promises2.unlink)(temp).catch(() => {
    });
    throw error;
  }
}
async function writeFileSynced(path, data, mode = 420) {
  const file = await (0, import_promises2.open)(path, "w", mode);
  try {
    await file.writeFile(data);
    await file.chmod(mode);
    await file.sync();
  } finally {
    await file.close();
  }
}

// handlers/os/run-command.ts
var import_node_child_process = require("node:child_process");

// handlers/os/process-group.ts
function killGroup(leaderPid) {
  try {
    process.kill(-leaderPid, "SIGKILL");
  } catch (error) {
    if (error.code !== "ESRCH") throw error;
  }
}

// handlers/os/run-command.ts
var TIMEOUT_MS = 3e4;
function commandRunner(timeoutMs = TIMEOUT_MS) {
  return async (commandLine, args = []) => {
    return new Promise((resolve) => {
      const child = (0, import_node_child_process.spawn)("/bin/sh", ["-c", `${commandLine} "$@"`, "sh", ...args], { stdio: ["ignore", "pipe", "pipe"], detached: true });
      let stdout = "";
      let output = "";
      let timedOut = false;
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        output += chunk;
      });
      child.stderr.on("data", (chunk) => output += chunk);
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid !== void 0) killGroup(child.pid);
      }, timeoutMs);
      const finish = (result) => {
        clearTimeout(timer);
        resolve(result);
      };
      child.on("error", (error) => finish({ code: 127, stdout, output: error.message }));
      child.on("close", (code, signal) => finish({ code: code ?? 128, stdout, output: signal ? `${output}killed by ${signal}` : output }));
      child.on("exit", (_code, signal) => {
        if (!timedOut) return;
        child.stdout.destroy();
        child.stderr.destroy();
        finish({ code: 128 + 9, stdout, output: `${output}killed by ${signal ?? "SIGKILL"} after ${timeoutMs} ms` });
      });
    });
  };
}
var runCommand = commandRunner();
function firstLine(output) {
  const lines = output.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /ALERT|error|fatal/i.test(l)) ?? lines[0] ?? "(no output)";
}

// handlers/haproxy/install-config.ts
var ConfigCheckError = class extends Error {
};
async function readIfExists(path) {
  try {
    return await (0, import_promises3.readFile)(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
}
async function installConfig(liveConfig, rendered, live, checkCmd, run, beforeInstall = async () => {
}) {
  if (live === rendered) return "unchanged";
  const candidate = `${liveConfig}.candidate`;
  try {
    await writeFileSynced(candidate, rendered);
    const check = checkCmd === null ? { code: 0, output: "" } : await run(checkCmd, [candidate]);
    if (check.code !== 0) {
      throw new ConfigCheckError(`candidate config rejected by '${checkCmd}' (exit ${check.code}): ${firstLine(check.output)}; last good config kept`);
    }
    await beforeInstall();
    await (0, import_promises3.rename)(candidate, liveConfig);
  } catch (error) {
    await (0, import_promises3.unlink)(candidate).catch(() => {
    });
    throw error;
  }
  return "installed";
}

// handlers/haproxy/reload-haproxy.ts
var import_promises4 = require("node:fs/promises");
var import_node_path2 = require("node:path");

// handlers/haproxy/server-state-file.ts
async function saveServerState(admin, stateFile) {
  let state;
  try {
    state = await admin("show servers state");
  } catch (error) {
    if (error instanceof AdminSocketUnavailable) return;
    throw error;
  }
  await writeFileAtomic(stateFile, state);
}

// handlers/haproxy/reload-haproxy.ts
var ReloadError = class extends Error {
};
function pendingMarker(nodesDir) {
  return (0, import_node_path2.join)(nodesDir, ".reload-pending");
}
async function markReloadPending(nodesDir) {
  await (0, import_promises4.writeFile)(pendingMarker(nodesDir), "");
}
async function reloadHaproxy(reloadCmd, nodesDir, run) {
  const marker = pendingMarker(nodesDir);
  await markReloadPending(nodesDir);
  const result = await run(reloadCmd);
  if (result.code !== 0) {
    throw new ReloadError(`reload command '${reloadCmd}' failed (exit ${result.code}): ${firstLine(result.output)}; will retry on the next event`);
  }
  await (0, import_promises4.unlink)(marker);
}
async function isReloadPending(nodesDir) {
  try {
    await (0, import_promises4.access)(pendingMarker(nodesDir));
    return true;
  } catch {
    return false;
  }
}
async function tellHaproxy(step, config, via, settings, run, admin) {
  if (step === "starting") {
    await (0, import_promises4.unlink)(pendingMarker(settings.nodesDir)).catch(() => {
    });
    return false;
  }
  const owed = await isReloadPending(settings.nodesDir);
  if (!owed && (via === "runtime" || config === "unchanged")) return false;
  await saveServerState(admin, settings.stateFile);
  await reloadHaproxy(settings.reloadCmd, settings.nodesDir, run);
  return true;
}

// handlers/haproxy/render-config.ts
var import_runtime = __toESM(require_runtime2(), 1);
var import_node_fs = require("node:fs");
var Runtime = import_runtime.default;
var TemplateError = class extends Error {
};
function templateContext(servers) {
  return {
    // HAProxy reads the text after the last colon as the port, so IPv6 needs brackets.
    servers: [...servers].sort(byName).map((b) => ({
      ...b,
      hostport: b.address.includes(":") ? `[${b.address}]:${b.port}` : `${b.address}:${b.port}`,
      tags: templateTags(b.tags).shown
    })),
    count: servers.length
  };
}
var COMPILE_OPTIONS = { noEscape: true, strict: true };
function readCache(cacheFile) {
  if (cacheFile === void 0) return void 0;
  try {
    return JSON.parse((0, import_node_fs.readFileSync)(cacheFile, "utf8"));
  } catch {
    return void 0;
  }
}
async function templateSpec(source, cacheFile) {
  const cached = readCache(cacheFile);
  if (cached?.source === source && typeof cached.spec === "string") return cached.spec;
  const { default: Handlebars } = await Promise.resolve().then(() => __toESM(require("./handlebars.cjs"), 1));
  const spec = String(Handlebars.precompile(source, COMPILE_OPTIONS));
  if (cacheFile !== void 0) await writeFileAtomic(cacheFile, JSON.stringify({ source, spec })).catch(() => {
  });
  return spec;
}
var lastCompiled;
async function compiledTemplate(source, cacheFile) {
  if (lastCompiled?.source === source && lastCompiled.cacheFile === cacheFile) return lastCompiled.template;
  const spec = await templateSpec(source, cacheFile);
  const template = Runtime.create().template(new Function(`return ${spec}`)());
  lastCompiled = { source, cacheFile, template };
  return template;
}
var oneLine = (error) => error.message.split("\n").filter(Boolean).join(" ");
async function renderConfig(source, servers, cacheFile) {
  try {
    return (await compiledTemplate(source, cacheFile))(templateContext(servers));
  } catch (error) {
    throw new TemplateError(`template does not render: ${oneLine(error)}`, { cause: error });
  }
}

// handlers/os/lock.ts
var import_node_fs2 = require("node:fs");
var import_node_net3 = require("node:net");
var import_promises5 = require("node:timers/promises");
var LockTimeout = class extends Error {
};
function fnv1a64(text) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text)) hash = (hash ^ BigInt(byte)) * 0x100000001b3n & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, "0");
}
function lockName(nodesDir) {
  return `\0serf-haproxy-autoscale/nodes-lock/${fnv1a64((0, import_node_fs2.realpathSync)(nodesDir))}`;
}
function bind(name, accepted) {
  return new Promise((resolve, reject) => {
    const server = (0, import_node_net3.createServer)((socket) => {
      accepted.add(socket.on("error", () => {
      }).on("close", () => accepted.delete(socket)));
      socket.unref();
    });
    server.once("error", (error) => error.code === "EADDRINUSE" ? resolve(void 0) : reject(error));
    server.listen({ path: name }, () => resolve(server.unref()));
  });
}
function holderGone(name, deadline) {
  return new Promise((resolve) => {
    const socket = (0, import_node_net3.createConnection)({ path: name });
    const timer = setTimeout(() => socket.destroy(), Math.max(0, deadline - Date.now()));
    socket.on("error", () => {
    });
    socket.on("close", (hadError) => {
      clearTimeout(timer);
      if (hadError) (0, import_promises5.setTimeout)(5).then(() => resolve());
      else resolve();
    });
  });
}
async function withLock(nodesDir, work, options = {}) {
  const { timeoutMs = 6e4 } = options;
  (0, import_node_fs2.mkdirSync)(nodesDir, { recursive: true });
  const name = lockName(nodesDir);
  const deadline = Date.now() + timeoutMs;
  const accepted = /* @__PURE__ */ new Set();
  let server;
  while (!(server = await bind(name, accepted))) {
    if (Date.now() >= deadline) {
      throw new LockTimeout(`nodes directory ${nodesDir} still locked after ${timeoutMs} ms (another run holds @${name.slice(1)})`);
    }
    await holderGone(name, deadline);
  }
  try {
    return await work();
  } finally {
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

// handlers/pool/nodes-store.ts
var import_node_fs3 = require("node:fs");
var import_promises6 = require("node:fs/promises");
var import_node_path3 = require("node:path");

// handlers/os/in-parallel.ts
async function inParallel(items, limit, task) {
  let next = 0;
  let failure;
  const worker = async () => {
    while (failure === void 0 && next < items.length) {
      const index = next++;
      try {
        await task(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== void 0) throw failure.error;
}

// handlers/pool/nodes-store.ts
function serverFile(nodesDir, name) {
  return (0, import_node_path3.join)(nodesDir, `${checkName(name)}.json`);
}
function checkStoredServer(file, value) {
  const b = value;
  if (typeof b !== "object" || b === null) throw new InvalidMember("not a JSON object");
  checkName(String(b.name));
  if (`${b.name}.json` !== file) throw new InvalidMember(`name ${JSON.stringify(b.name)} does not match the file name`);
  checkAddress(String(b.address));
  if (!Number.isInteger(b.port) || b.port < 1 || b.port > 65535) throw new InvalidMember("port out of range");
  if (!Number.isInteger(b.weight) || b.weight < 0 || b.weight > MAX_WEIGHT) throw new InvalidMember("weight out of range");
  return {
    name: b.name,
    address: b.address,
    port: b.port,
    weight: b.weight,
    tags: typeof b.tags === "object" && b.tags !== null ? b.tags : {},
    updated: String(b.updated ?? "")
  };
}
async function listFiles(nodesDir) {
  try {
    return await (0, import_promises6.readdir)(nodesDir);
  } catch (error) {
    if (error.code === "ENOENT") return [];
    throw error;
  }
}
var IO_CONCURRENCY = 16;
async function readStore(nodesDir, listing) {
  const files = (listing ?? await listFiles(nodesDir)).filter((file) => !file.startsWith(".") && file.endsWith(".json")).sort();
  const servers = [];
  const problems = [];
  for (const file of files) {
    try {
      servers.push(checkStoredServer(file, JSON.parse((0, import_node_fs3.readFileSync)((0, import_node_path3.join)(nodesDir, file), "utf8"))));
    } catch (error) {
      problems.push({ file, reason: error.message });
    }
  }
  return { servers: servers.sort(byName), problems };
}
function applyChanges(current, changes) {
  const next = new Map(current.map((b) => [b.name, b]));
  for (const change of changes) {
    if (change.kind === "remove") {
      next.delete(change.name);
      continue;
    }
    const old = next.get(change.server.name);
    next.set(change.server.name, old && sameServer(old, change.server) ? old : change.server);
  }
  return [...next.values()].sort(byName);
}
async function saveStore(nodesDir, before, after) {
  const old = new Map(before.map((b) => [b.name, b]));
  const changed = after.filter((server) => {
    const previous = old.get(server.name);
    old.delete(server.name);
    return !(previous && sameServer(previous, server));
  });
  await inParallel(changed, IO_CONCURRENCY, (server) => writeFileAtomic(serverFile(nodesDir, server.name), `${JSON.stringify(server, null, 2)}
`));
  let removed = 0;
  await inParallel([...old.keys()], IO_CONCURRENCY, async (name) => {
    try {
      await (0, import_promises6.unlink)(serverFile(nodesDir, name));
      removed++;
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
  });
  return changed.length + removed;
}

// handlers/pool/debris.ts
var import_promises7 = require("node:fs/promises");
var import_node_path4 = require("node:path");
var CORRUPT_DIR = ".corrupt";
var TEMP_FILE = /^\..+\.(\d+)\.\d+\.tmp$/;
var OLD_LOCK_FILES = /* @__PURE__ */ new Set([".lock", ".lock.break"]);
var TEMP_MAX_AGE_MS = 6e4;
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
async function isDebris(nodesDir, file) {
  if (OLD_LOCK_FILES.has(file)) return true;
  const temp = TEMP_FILE.exec(file);
  if (!temp) return false;
  if (!alive(Number(temp[1]))) return true;
  try {
    return Date.now() - (await (0, import_promises7.stat)((0, import_node_path4.join)(nodesDir, file))).mtimeMs > TEMP_MAX_AGE_MS;
  } catch {
    return false;
  }
}
async function clearDebris(nodesDir, problems, log, dryRun, listing) {
  if (dryRun) {
    for (const { file, reason } of problems) log("warn", "nodes file skipped", { file, reason });
    return;
  }
  const files = listing ?? await (0, import_promises7.readdir)(nodesDir).catch(() => []);
  for (const file of files.filter((f) => OLD_LOCK_FILES.has(f) || TEMP_FILE.test(f))) {
    if (await isDebris(nodesDir, file)) await (0, import_promises7.unlink)((0, import_node_path4.join)(nodesDir, file)).catch(() => {
    });
  }
  if (problems.length === 0) return;
  await (0, import_promises7.mkdir)((0, import_node_path4.join)(nodesDir, CORRUPT_DIR), { recursive: true });
  for (const { file, reason } of problems) {
    await (0, import_promises7.rename)((0, import_node_path4.join)(nodesDir, file), (0, import_node_path4.join)(nodesDir, CORRUPT_DIR, file));
    log("warn", "nodes file moved aside", { file, reason, to: `${CORRUPT_DIR}/` });
  }
}

// handlers/members/event-lines.ts
function unescapeField(value) {
  return value.replace(/\\([tn])/g, (_, c) => c === "t" ? "	" : "\n");
}
function parseTags(field) {
  const tags = /* @__PURE__ */ new Map();
  let lastKey;
  for (const piece of field.split(",")) {
    if (piece === "") continue;
    const eq = piece.indexOf("=");
    if (eq === -1) {
      if (lastKey !== void 0) tags.set(lastKey, `${tags.get(lastKey)},${piece}`);
      continue;
    }
    lastKey = piece.slice(0, eq);
    tags.set(lastKey, piece.slice(eq + 1));
  }
  return tags;
}
function tagsReadOneWay(field, role) {
  const pieces = field === "" ? [] : field.split(",");
  const keys = pieces.map((piece) => piece.split("=").length === 2 ? piece.slice(0, piece.indexOf("=")) : void 0);
  if (keys.some((key) => key === void 0) || new Set(keys).size !== keys.length) return false;
  const rolePiece = pieces.find((piece) => piece.startsWith("role="));
  if ((rolePiece ?? "role=") !== `role=${role}`) return false;
  return pieces.length - (rolePiece === void 0 ? 0 : 1) <= 1;
}
function parseMemberLines(input) {
  const parsed = [];
  input.split("\n").forEach((raw, index) => {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (text.trim() === "") return;
    const line = index + 1;
    const fields = text.split("	");
    if (fields.length < 3) {
      parsed.push({ ok: false, line, reason: `expected name<TAB>address<TAB>role<TAB>tags, got ${fields.length} field(s)` });
      return;
    }
    const [name, address, role, tags = ""] = fields.map(unescapeField);
    const member = { name, address, role, tags: parseTags(tags) };
    parsed.push({ ok: true, line, member: tagsReadOneWay(tags, role) ? member : { ...member, tagsUncertain: true } });
  });
  return parsed;
}

// handlers/members/serf-members.ts
var MembersError = class extends Error {
};
function hostOf(addr) {
  const bracketed = /^\[(.*)\]:\d+$/.exec(addr);
  if (bracketed) return bracketed[1];
  const colon = addr.lastIndexOf(":");
  return colon === -1 ? addr : addr.slice(0, colon);
}
function agentView(json) {
  let parsed;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new MembersError(`serf members output is not JSON: ${error.message}`);
  }
  if (!Array.isArray(parsed?.members)) throw new MembersError('serf members output has no "members" array');
  return viewOf(parsed.members, (m) => typeof m.addr === "string" ? hostOf(m.addr) : "");
}
function viewOf(members, addressOf) {
  const listed = members.filter((m) => typeof m === "object" && m !== null);
  const alive2 = listed.filter((m) => m.status === "alive").map((m) => {
    const tags = /* @__PURE__ */ new Map();
    if (typeof m.tags === "object" && m.tags !== null) {
      for (const [key, value] of Object.entries(m.tags)) tags.set(key, String(value));
    }
    const name = typeof m.name === "string" ? m.name : "";
    return { name, address: addressOf(m), role: tags.get("role") ?? "", tags };
  });
  return { alive: alive2, listed: listed.length };
}
async function listAliveMembers(membersCmd, run) {
  const result = await run(membersCmd);
  if (result.code !== 0) {
    throw new MembersError(`'${membersCmd}' failed (exit ${result.code}): ${firstLine(result.output)}`);
  }
  return agentView(result.stdout);
}

// handlers/pipeline/read-members.ts
function agentMembers(inputs) {
  return inputs.members ? inputs.members() : listAliveMembers(inputs.membersCmd, inputs.run);
}
async function readMembers(source, inputs) {
  if (source === "none") return { members: [], rejected: [] };
  if (source === "serf") {
    const view = await agentMembers(inputs);
    return { members: view.alive, rejected: [], agentAlone: view.listed <= 1 };
  }
  const read = { members: [], rejected: [] };
  for (const line of parseMemberLines(await inputs.eventText())) {
    if (line.ok) read.members.push(line.member);
    else read.rejected.push(`line ${line.line}: ${line.reason}`);
  }
  inputs.log("info", "members read", { members: read.members.length + read.rejected.length });
  if (source === "event") read.members = await settleUncertainTags(read.members, inputs);
  return read;
}
async function settleUncertainTags(members, inputs) {
  const uncertain = members.filter((m) => m.tagsUncertain && m.role === inputs.role);
  if (uncertain.length === 0) return members;
  let alive2;
  try {
    alive2 = new Map((await agentMembers(inputs)).alive.map((m) => [m.name, m]));
  } catch (error) {
    for (const m of uncertain) inputs.log("warn", "member left to reconcile", { name: m.name, reason: `tags can be read two ways and ${error.message}` });
    return members.filter((m) => !uncertain.includes(m));
  }
  return members.flatMap((m) => {
    if (!uncertain.includes(m)) return [m];
    const listed = alive2.get(m.name);
    if (!listed) inputs.log("info", "member left to reconcile", { name: m.name, reason: "tags can be read two ways and serf members does not list it alive" });
    return listed ? [listed] : [];
  });
}

// handlers/pipeline/pipeline.ts
async function runPipeline(event, ctx) {
  const plan = EVENTS[event];
  const { options } = ctx;
  const eventText = plan.members.startsWith("event") ? await ctx.eventText() : "";
  const input = { ...ctx, eventText: async () => eventText };
  if (options.dryRun) return printConfig(plan, input);
  return withLock(options.nodesDir, async () => {
    const { before, verdict, after } = await decidePool(plan, input);
    const storeChanges = await saveStore(options.nodesDir, before, after);
    const template = await (0, import_promises8.readFile)(options.template, "utf8");
    const rendered = await renderConfig(template, after, options.templateCache);
    const live = await readIfExists(options.config);
    const runtime = await changeRuntime(plan, rendered, live, input);
    const viaRuntime = runtime?.path === "runtime";
    const owe = viaRuntime ? void 0 : () => markReloadPending(options.nodesDir);
    const config = await installConfig(options.config, rendered, live, viaRuntime ? null : options.checkCmd, ctx.run, owe);
    const reload = await tellHaproxy(plan.haproxy, config, viaRuntime ? "runtime" : "reload", options, ctx.run, ctx.admin);
    return { verdict, servers: after.length, storeChanges, config, runtime, reload };
  });
}
async function decidePool(plan, ctx) {
  const { options, log } = ctx;
  const listing = await listFiles(options.nodesDir);
  const store = await readStore(options.nodesDir, listing);
  await clearDebris(options.nodesDir, store.problems, log, options.dryRun, listing);
  const read = await readMembers(plan.members, { eventText: ctx.eventText, membersCmd: options.membersCmd, members: ctx.members, role: options.role, run: ctx.run, log });
  const verdict = plan.decide(read.members, store.servers, { role: options.role, now: ctx.now().toISOString(), mayRemove: !read.agentAlone });
  verdict.rejected.unshift(...read.rejected);
  for (const reason of verdict.rejected) log("warn", "member rejected", { reason });
  for (const reason of verdict.ignored) log("info", "member ignored", { reason });
  for (const { msg, reason } of verdict.warnings) log("warn", msg, { reason });
  return { before: store.servers, verdict, after: applyChanges(store.servers, verdict.changes) };
}
async function changeRuntime(plan, rendered, live, ctx) {
  const { options } = ctx;
  if (plan.haproxy === "starting" || options.adminSocket === "none") return void 0;
  const outcome = await changeRunningHaproxy(rendered, live, { backend: options.backend, removal: plan.removal, drainMs: Number(options.drainMs) }, ctx.admin);
  if (outcome.path === "reload") ctx.log("warn", "runtime API not used, reloading instead", { reason: outcome.reason });
  if (plan.members === "serf" && outcome.path === "runtime" && outcome.result.added + outcome.result.removed + outcome.result.reweighted > 0 && live === rendered) {
    ctx.log("warn", "runtime drift repaired", { added: outcome.result.added, removed: outcome.result.removed, reweighted: outcome.result.reweighted });
  }
  return outcome;
}
async function printConfig(plan, ctx) {
  const { verdict, after } = await decidePool(plan, ctx);
  const template = await (0, import_promises8.readFile)(ctx.options.template, "utf8");
  ctx.stdout.write(await renderConfig(template, after));
  return { verdict, servers: after.length, storeChanges: 0, config: "dry-run", runtime: void 0, reload: false };
}

// handlers/members/serf-rpc.ts
var import_node_net4 = require("node:net");

// handlers/members/msgpack.ts
function asMap(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value) ? value : void 0;
}
var Incomplete = class extends Error {
};
var MsgpackError = class extends Error {
};
function lengthHead(length, fixLimit, fixBase, code16, code32) {
  if (length < fixLimit) return Buffer.from([fixBase | length]);
  if (length < 65536) return Buffer.from([code16, length >> 8, length & 255]);
  const out = Buffer.alloc(5);
  out[0] = code32;
  out.writeUInt32BE(length, 1);
  return out;
}
function pack(value) {
  if (value === null) return Buffer.from([192]);
  if (value === true) return Buffer.from([195]);
  if (value === false) return Buffer.from([194]);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0) throw new MsgpackError(`only whole numbers from 0 are packed, got ${value}`);
    if (value < 128) return Buffer.from([value]);
    if (value < 256) return Buffer.from([204, value]);
    if (value < 65536) return Buffer.from([205, value >> 8, value & 255]);
    if (value < 4294967296) {
      const out2 = Buffer.alloc(5);
      out2[0] = 206;
      out2.writeUInt32BE(value, 1);
      return out2;
    }
    const out = Buffer.alloc(9);
    out[0] = 207;
    out.writeBigUInt64BE(BigInt(value), 1);
    return out;
  }
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([lengthHead(bytes.length, 32, 160, 218, 219), bytes]);
  }
  if (Buffer.isBuffer(value)) {
    const length = value.length < 256 ? Buffer.from([196, value.length]) : lengthHead(value.length, 0, 0, 197, 198);
    return Buffer.concat([length, value]);
  }
  if (Array.isArray(value)) return Buffer.concat([lengthHead(value.length, 16, 144, 220, 221), ...value.map(pack)]);
  const entries = Object.entries(value);
  return Buffer.concat([lengthHead(entries.length, 16, 128, 222, 223), ...entries.flatMap(([k, v]) => [pack(k), pack(v)])]);
}
function unpack(buf, offset = 0) {
  const need = (n) => {
    if (offset + n > buf.length) throw new Incomplete();
  };
  need(1);
  const code = buf[offset++];
  const bytes = (n) => {
    need(n);
    offset += n;
    return buf.subarray(offset - n, offset);
  };
  const uint = (n) => {
    const b = bytes(n);
    return n === 1 ? b[0] : n === 2 ? b.readUInt16BE(0) : n === 4 ? b.readUInt32BE(0) : Number(b.readBigUInt64BE(0));
  };
  const int = (n) => {
    const b = bytes(n);
    return n === 1 ? b.readInt8(0) : n === 2 ? b.readInt16BE(0) : n === 4 ? b.readInt32BE(0) : Number(b.readBigInt64BE(0));
  };
  const array = (length) => {
    const items = [];
    for (let i = 0; i < length; i++) {
      const item = unpack(buf, offset);
      items.push(item.value);
      offset = item.next;
    }
    return items;
  };
  const map = (length) => {
    const items = array(2 * length);
    const out = {};
    for (let i = 0; i < items.length; i += 2) {
      const key = items[i];
      Object.defineProperty(out, Buffer.isBuffer(key) ? key.toString("utf8") : String(key), { value: items[i + 1], enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  let value;
  if (code < 128) value = code;
  else if (code >= 224) value = code - 256;
  else if (code < 144) value = map(code & 15);
  else if (code < 160) value = array(code & 15);
  else if (code < 192) value = bytes(code & 31).toString("utf8");
  else {
    switch (code) {
      case 192:
        value = null;
        break;
      case 194:
        value = false;
        break;
      case 195:
        value = true;
        break;
      // Byte strings: an IP address in a member. Copied, so the read buffer can go.
      case 196:
        value = Buffer.from(bytes(uint(1)));
        break;
      case 197:
        value = Buffer.from(bytes(uint(2)));
        break;
      case 198:
        value = Buffer.from(bytes(uint(4)));
        break;
      case 202:
        value = bytes(4).readFloatBE(0);
        break;
      case 203:
        value = bytes(8).readDoubleBE(0);
        break;
      case 204:
        value = uint(1);
        break;
      case 205:
        value = uint(2);
        break;
      case 206:
        value = uint(4);
        break;
      case 207:
        value = uint(8);
        break;
      case 208:
        value = int(1);
        break;
      case 209:
        value = int(2);
        break;
      case 210:
        value = int(4);
        break;
      case 211:
        value = int(8);
        break;
      case 217:
        value = bytes(uint(1)).toString("utf8");
        break;
      case 218:
        value = bytes(uint(2)).toString("utf8");
        break;
      case 219:
        value = bytes(uint(4)).toString("utf8");
        break;
      case 220:
        value = array(uint(2));
        break;
      case 221:
        value = array(uint(4));
        break;
      case 222:
        value = map(uint(2));
        break;
      case 223:
        value = map(uint(4));
        break;
      default:
        throw new MsgpackError(`MessagePack type 0x${code.toString(16)} is not one Serf's RPC sends`);
    }
  }
  return { value, next: offset };
}
var MsgpackStream = class {
  rest = Buffer.alloc(0);
  push(chunk) {
    let buf = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    const values = [];
    for (; ; ) {
      let read;
      try {
        read = unpack(buf);
      } catch (error) {
        if (!(error instanceof Incomplete)) throw error;
        this.rest = buf;
        return values;
      }
      values.push(read.value);
      buf = buf.subarray(read.next);
    }
  }
};

// handlers/members/serf-rpc.ts
var TIMEOUT_MS2 = 5e3;
function hostAndPort(address) {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address);
  if (!match) throw new MembersError(`serf RPC address ${JSON.stringify(address)} is not host:port`);
  return { host: match[1] ?? match[2], port: Number(match[3]) };
}
function ipText(bytes) {
  const v4 = bytes.length === 4 ? bytes : bytes.length === 16 && bytes.subarray(0, 12).equals(V4_IN_V6) ? bytes.subarray(12) : void 0;
  if (v4) return [...v4].join(".");
  if (bytes.length !== 16) return "";
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(2 * i).toString(16));
  return new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1);
}
var V4_IN_V6 = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255]);
var SerfRpc = class {
  constructor(address, authKey) {
    this.address = address;
    this.authKey = authKey;
  }
  address;
  authKey;
  socket;
  received = new MsgpackStream();
  seq = 0;
  pending = /* @__PURE__ */ new Map();
  /** The seq whose body is the next value on the wire, after its header. */
  bodyOf;
  /** The agent's members, alive or not, as `serf members` lists them. */
  async members() {
    const body = await this.request("members", void 0, true);
    const members = asMap(body)?.Members;
    if (!Array.isArray(members)) throw new MembersError("serf RPC members answer has no Members array");
    const lowered = members.map((m) => {
      const member = asMap(m);
      return member ? { name: member.Name, addr: member.Addr, tags: member.Tags, status: member.Status } : m;
    });
    return viewOf(lowered, (m) => Buffer.isBuffer(m.addr) ? ipText(m.addr) : typeof m.addr === "string" ? m.addr : "");
  }
  close() {
    this.fail(new MembersError(`serf RPC ${this.address}: closed`));
  }
  request(command, body, withBody) {
    const socket = this.socket ?? this.open();
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new MembersError(`serf RPC ${this.address}: no answer to ${command} within ${TIMEOUT_MS2} ms`)), TIMEOUT_MS2);
      const settle = (then) => (value) => {
        clearTimeout(timer);
        this.pending.delete(seq);
        then(value);
      };
      this.pending.set(seq, { command, withBody, resolve: settle(resolve), reject: settle(reject) });
      socket.write(body === void 0 ? pack({ Command: command, Seq: seq }) : Buffer.concat([pack({ Command: command, Seq: seq }), pack(body)]));
    });
  }
  open() {
    const { host, port } = hostAndPort(this.address);
    const socket = (0, import_node_net4.connect)({ host, port });
    this.socket = socket;
    this.received = new MsgpackStream();
    this.bodyOf = void 0;
    socket.setNoDelay(true);
    const current = () => this.socket === socket;
    socket.on("data", (chunk) => current() && this.onData(chunk));
    socket.on("error", (error) => current() && this.fail(new MembersError(`serf RPC ${this.address}: ${error.message}`)));
    socket.on("close", () => current() && this.fail(new MembersError(`serf RPC ${this.address}: connection closed`)));
    void this.request("handshake", { Version: 1 }, false).catch(() => {
    });
    if (this.authKey) void this.request("auth", { AuthKey: this.authKey }, false).catch(() => {
    });
    return socket;
  }
  onData(chunk) {
    let values;
    try {
      values = this.received.push(chunk);
    } catch (error) {
      this.fail(new MembersError(`serf RPC ${this.address}: ${error.message}`));
      return;
    }
    for (const value of values) {
      if (this.bodyOf !== void 0) {
        this.pending.get(this.bodyOf)?.resolve(value);
        this.bodyOf = void 0;
        continue;
      }
      const header = asMap(value) ?? {};
      const seq = typeof header.Seq === "number" ? header.Seq : -1;
      const waiting = this.pending.get(seq);
      if (!waiting) {
        this.fail(new MembersError(`serf RPC ${this.address}: an answer to no request (seq ${seq})`));
        return;
      }
      if (typeof header.Error === "string" && header.Error !== "") {
        this.fail(new MembersError(`serf RPC ${this.address}: ${waiting.command}: ${header.Error}`));
        return;
      }
      if (waiting.withBody) this.bodyOf = seq;
      else waiting.resolve(null);
    }
  }
  /** Fails everything waiting and drops the connection; the next request opens a new one. */
  fail(error) {
    const socket = this.socket;
    this.socket = void 0;
    socket?.destroy();
    for (const waiting of [...this.pending.values()]) waiting.reject(error);
  }
};

// handlers/os/log.ts
function formatValue(value) {
  const text = String(value);
  return /^[A-Za-z0-9_.:/@+-]+$/.test(text) ? text : JSON.stringify(text);
}
function createLog(stream, component) {
  return (level, msg, fields = {}) => {
    const all = { level, component, msg, ...fields };
    const pairs = Object.entries(all).filter((pair) => pair[1] !== void 0).map(([key, value]) => `${key}=${formatValue(value)}`);
    stream.write(`${pairs.join(" ")}
`);
  };
}

// handlers/os/stderr-lines.ts
var import_node_fs4 = require("node:fs");
function descriptorLines(fd = 2, write = import_node_fs4.writeSync, stream = () => process.stderr) {
  let fallback2;
  return {
    write(text) {
      if (fallback2) return fallback2.write(text);
      const bytes = Buffer.from(text);
      let done = 0;
      try {
        while (done < bytes.length) done += write(fd, bytes, done);
      } catch {
        fallback2 = stream();
        fallback2.write(done === 0 ? text : bytes.subarray(done));
      }
      return true;
    }
  };
}

// handlers/cli/settings.ts
var SETTINGS = [
  { key: "nodesDir", flag: "nodes-dir", env: "NODES_DIR", fallback: "/nodes", help: "one JSON file per live backend" },
  { key: "template", flag: "template", env: "HAPROXY_TEMPLATE", fallback: "/usr/local/etc/haproxy/haproxy.cfg.hbs", help: "Handlebars template of the whole config" },
  { key: "config", flag: "config", env: "HAPROXY_CONFIG", fallback: "/usr/local/etc/haproxy/haproxy.cfg", help: "live HAProxy config" },
  { key: "checkCmd", flag: "check-cmd", env: "HAPROXY_CHECK_CMD", fallback: "haproxy -c -q -f", help: "validates a candidate config, given as last argument" },
  { key: "reloadCmd", flag: "reload-cmd", env: "HAPROXY_RELOAD_CMD", fallback: "s6-svc -2 /run/service/haproxy", help: "graceful reload (SIGUSR2 to the master)" },
  { key: "membersCmd", flag: "members-cmd", env: "SERF_MEMBERS_CMD", fallback: "serf members -format json", help: "live members, for reconcile" },
  { key: "membersRpc", flag: "members-rpc", env: "SERF_RPC_ADDR", fallback: "none", help: "the agent's RPC (host:port, token in SERF_RPC_AUTH): live members read over it, not by --members-cmd ('none': the command)" },
  { key: "role", flag: "role", env: "BACKEND_ROLE", fallback: "backend", help: "Serf role tag of the members that become servers" },
  { key: "adminSocket", flag: "admin-socket", env: "HAPROXY_ADMIN_SOCKET", fallback: "/run/haproxy/admin.sock", help: "HAProxy's runtime API; 'none' changes HAProxy by reloads only" },
  { key: "backend", flag: "backend", env: "HAPROXY_BACKEND", fallback: "webapps", help: "the backend whose servers the members are" },
  { key: "templateCache", flag: "template-cache", env: "HAPROXY_TEMPLATE_CACHE", fallback: "/var/lib/haproxy/template-cache.json", help: "the compiled template, kept between runs" },
  { key: "stateFile", flag: "state-file", env: "HAPROXY_STATE_FILE", fallback: "/var/lib/haproxy/server-state", help: "the config's server-state-file, written before a reload" },
  { key: "every", flag: "every", env: "RECONCILE_EVERY", fallback: "0", help: "reconcile only: keep running, again every N seconds and at once on SIGHUP (0: run once)" },
  { key: "monitorCmd", flag: "monitor-cmd", env: "SERF_MONITOR_CMD", fallback: "serf monitor -log-level=info", help: "reconcile --every only: the agent's log stream; a member change in it starts a run at once ('none': off)" },
  { key: "pipelineSocket", flag: "pipeline-socket", env: "PIPELINE_SOCKET", fallback: "/run/lb/pipeline.sock", help: "where the warm reconcile takes member events over (root only); 'none': every run does its own work" },
  { key: "drainMs", flag: "drain-ms", env: "DRAIN_TIMEOUT_MS", fallback: "2000", help: "how long a leaving server may finish its requests before they are cut" }
];

// handlers/cli/hand-over.ts
var fallback = SETTINGS.find((s) => s.flag === "pipeline-socket").fallback;
var isMemberEvent = (event) => event.startsWith("member-");

// handlers/cli/options.ts
var import_minimist = __toESM(require_minimist(), 1);
var UsageError = class extends Error {
};
var HelpRequested = class extends Error {
};
function usage(entry) {
  const lines = SETTINGS.map((s) => `  --${s.flag.padEnd(12)} ${s.help} (env ${s.env}, default '${s.fallback}')`);
  return [
    `usage: ${entry} [options] < members`,
    "",
    ...lines,
    `  --dry-run      print the config that would be written, change nothing (env DRY_RUN=1)`,
    `  --help         this text`,
    ""
  ].join("\n");
}
function parseOptions(argv, env) {
  const strings = SETTINGS.map((s) => s.flag);
  const known = /* @__PURE__ */ new Set([...strings, "dry-run", "help", "_"]);
  const args = (0, import_minimist.default)([...argv], {
    string: strings,
    boolean: ["dry-run", "help"],
    unknown: (arg) => {
      if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    }
  });
  for (const key of Object.keys(args)) {
    if (!known.has(key)) throw new UsageError(`unknown option --${key}`);
  }
  if (args.help) throw new HelpRequested();
  const options = {};
  for (const s of SETTINGS) {
    const value = args[s.flag] ?? (env[s.env] || void 0) ?? s.fallback;
    if (typeof value !== "string" || value === "") throw new UsageError(`--${s.flag} needs a non-empty value`);
    options[s.key] = value;
  }
  if (!/^\d{1,7}$/.test(String(options.drainMs))) throw new UsageError(`--drain-ms must be a whole number of milliseconds, got ${JSON.stringify(options.drainMs)}`);
  if (!/^\d{1,6}$/.test(String(options.every))) throw new UsageError(`--every must be a whole number of seconds, got ${JSON.stringify(options.every)}`);
  options.dryRun = Boolean(args["dry-run"]) || ["1", "true", "yes"].includes(env.DRY_RUN ?? "");
  return options;
}

// handlers/cli/read-stdin.ts
var import_node_fs5 = require("node:fs");
var import_node_tty = require("node:tty");
async function readStdin() {
  if ((0, import_node_tty.isatty)(0)) return "";
  const chunks = [];
  const buffer = Buffer.alloc(64 * 1024);
  for (; ; ) {
    let length;
    try {
      length = (0, import_node_fs5.readSync)(0, buffer);
    } catch (error) {
      const code = error.code;
      if (code === "EAGAIN") {
        for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
        break;
      }
      if (code === "EBADF") break;
      throw error;
    }
    if (length === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, length)));
  }
  return Buffer.concat(chunks).toString("utf8");
}

// handlers/cli/repeat.ts
async function repeat(run, seconds, wakeups, until) {
  let asked = false;
  let wake;
  const onWake = () => {
    asked = true;
    wake?.();
  };
  wakeups.on("wake", onWake);
  until?.addEventListener("abort", () => wake?.());
  while (!until?.aborted) {
    asked = false;
    await run();
    if (asked || until?.aborted) continue;
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, seconds * 1e3);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = void 0;
  }
  wakeups.off("wake", onWake);
}

// handlers/cli/serve-hand-overs.ts
var import_node_fs6 = require("node:fs");
var import_node_net5 = require("node:net");
var import_node_path5 = require("node:path");
var MAX_REQUEST_BYTES = 16 * 1024 * 1024;
var isStrings = (value) => Array.isArray(value) && value.every((v) => typeof v === "string");
function checkRequest(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return `request is not JSON: ${JSON.stringify(text.slice(0, 60))}`;
  }
  const r = value;
  if (typeof r !== "object" || r === null || typeof r.event !== "string" || typeof r.stdin !== "string" || !isStrings(r.argv)) {
    return "request needs an event, argv and stdin";
  }
  if (typeof r.env !== "object" || r.env === null || !isStrings(Object.values(r.env))) return "request env must map names to strings";
  return r;
}
function answer(socket, line) {
  if (!socket.destroyed) socket.end(`${JSON.stringify(line)}
`);
}
function serve(socket, taker, queue) {
  let text = "";
  socket.setEncoding("utf8");
  socket.on("error", () => {
  });
  socket.on("data", (chunk) => {
    text += chunk;
    if (text.length > MAX_REQUEST_BYTES) socket.destroy();
  });
  socket.on("end", () => {
    const request = checkRequest(text);
    if (typeof request === "string") return answer(socket, { declined: request });
    const refusal = taker.refusal(request);
    if (refusal !== void 0) return answer(socket, { declined: refusal });
    queue(request);
    answer(socket, { taken: true });
  });
}
function serveHandOvers(socketPath, taker, log) {
  let queued = Promise.resolve();
  const queue = (request) => {
    queued = queued.then(() => taker.run(request)).catch((error) => log("error", error.message, { event: request.event, handed_over: "yes" }));
  };
  const server = (0, import_node_net5.createServer)({ allowHalfOpen: true }, (socket) => serve(socket, taker, queue));
  server.on("error", (error) => log("warn", "hand-over socket not served; handlers run their events themselves", { socket: socketPath, reason: error.message }));
  try {
    (0, import_node_fs6.mkdirSync)((0, import_node_path5.dirname)(socketPath), { recursive: true, mode: 448 });
    (0, import_node_fs6.rmSync)(socketPath, { force: true });
  } catch (error) {
    server.emit("error", error);
    return server;
  }
  server.listen(socketPath, () => {
    (0, import_node_fs6.chmodSync)(socketPath, 384);
    log("info", "taking member events over", { socket: socketPath });
  });
  return server;
}

// handlers/cli/run-entry.ts
function processIo() {
  return {
    argv: process.argv.slice(2),
    env: process.env,
    readStdin,
    // Built on first use only (a dry run, --help): Node builds a stream around the descriptor, about 1 ms.
    get stdout() {
      return process.stdout;
    },
    stderr: descriptorLines(),
    run: runCommand,
    now: () => /* @__PURE__ */ new Date()
  };
}
function agentRpc(options, env) {
  return options.membersRpc === "none" ? void 0 : new SerfRpc(options.membersRpc, env.SERF_RPC_AUTH);
}
function optionsOrExit(event, io) {
  try {
    return parseOptions(io.argv, io.env);
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.stdout.write(usage(event));
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${event}: ${error.message}
${usage(event)}`);
      return 2;
    }
    throw error;
  }
}
async function runEntry(event, io) {
  const started = process.hrtime.bigint();
  const duration = () => Number((process.hrtime.bigint() - started) / 1000000n);
  const log = createLog(io.stderr, event);
  const options = optionsOrExit(event, io);
  if (typeof options === "number") return options;
  const rpc = io.members ? void 0 : agentRpc(options, io.env);
  const members = io.members ?? (rpc && (() => rpc.members()));
  try {
    const admin = io.admin ?? adminSocket(options.adminSocket);
    const outcome = await runPipeline(event, { options, admin, eventText: io.readStdin, stdout: { write: (text) => io.stdout.write(text) }, run: io.run, members, now: io.now, log });
    const runtime = outcome.runtime;
    const changed = runtime?.path === "runtime" ? runtime.result : void 0;
    log("info", "done", {
      event,
      serf_event: io.env.SERF_EVENT,
      applied: outcome.verdict.changes.length,
      rejected: outcome.verdict.rejected.length,
      ignored: outcome.verdict.ignored.length,
      backends: outcome.servers,
      store_changes: outcome.storeChanges,
      config: outcome.config,
      runtime: runtime?.path === "runtime" ? "applied" : runtime?.path === "reload" ? "fallback" : "off",
      runtime_added: changed?.added,
      runtime_removed: changed?.removed,
      runtime_cut: changed && changed.cut > 0 ? changed.cut : void 0,
      reload: outcome.reload ? "yes" : "no",
      handed_over: io.handedOver ? "yes" : void 0,
      duration_ms: duration()
    });
    return outcome.verdict.rejected.length > 0 ? 1 : 0;
  } catch (error) {
    log("error", error.message, { event, duration_ms: duration() });
    return 1;
  } finally {
    rpc?.close();
  }
}
function repeating(event, io) {
  if (event !== "reconcile") return void 0;
  try {
    const options = parseOptions(io.argv, io.env);
    return Number(options.every) > 0 ? options : void 0;
  } catch {
    return void 0;
  }
}
function handOverRefusal(request, own) {
  if (!(request.event in EVENTS) || !isMemberEvent(request.event)) return `${JSON.stringify(request.event)} is not a member event`;
  let theirs;
  try {
    theirs = parseOptions(request.argv, request.env);
  } catch (error) {
    return `its options: ${error.message}`;
  }
  if (theirs.dryRun) return "a dry run";
  const differs = SETTINGS.find((s) => s.key !== "every" && s.key !== "monitorCmd" && theirs[s.key] !== own[s.key]);
  return differs && `--${differs.flag} differs`;
}
function takeHandOvers(own, io, log) {
  if (own.pipelineSocket === "none") return;
  serveHandOvers(own.pipelineSocket, {
    refusal: (request) => handOverRefusal(request, own),
    run: async (request) => {
      await runEntry(request.event, { ...io, argv: request.argv, env: request.env, readStdin: async () => request.stdin, handedOver: true });
    }
  }, log);
}
function main(event, stdin) {
  const io = processIo();
  if (stdin !== void 0) io.readStdin = async () => stdin;
  const once = () => runEntry(event, io).then(
    (code) => process.exitCode = code,
    (error) => {
      process.stderr.write(`${event}: ${error.stack ?? String(error)}
`);
      process.exitCode = 1;
    }
  );
  const options = repeating(event, io);
  if (!options) {
    void once();
    return;
  }
  const rpc = agentRpc(options, io.env);
  if (rpc) io.members = () => rpc.members();
  takeHandOvers(options, io, createLog(io.stderr, event));
  const wakeups = new import_node_events.EventEmitter();
  const wake = () => wakeups.emit("wake");
  process.on("SIGHUP", wake);
  if (options.monitorCmd !== "none") void Promise.resolve().then(() => (init_watch_members(), watch_members_exports)).then((m) => m.watchMemberChanges(options.monitorCmd, wake, createLog(io.stderr, event)));
  void repeat(once, Number(options.every), wakeups);
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  handOverRefusal,
  main,
  processIo,
  runEntry
});
