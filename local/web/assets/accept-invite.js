var se=globalThis,ne=se.ShadowRoot&&(se.ShadyCSS===void 0||se.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,Ie=Symbol(),Ze=new WeakMap,B=class{constructor(e,t,s){if(this._$cssResult$=!0,s!==Ie)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(ne&&e===void 0){let s=t!==void 0&&t.length===1;s&&(e=Ze.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),s&&Ze.set(t,e))}return e}toString(){return this.cssText}},et=r=>new B(typeof r=="string"?r:r+"",void 0,Ie),S=(r,...e)=>{let t=r.length===1?r[0]:e.reduce((s,n,i)=>s+(o=>{if(o._$cssResult$===!0)return o.cssText;if(typeof o=="number")return o;throw Error("Value passed to 'css' function must be a 'css' function result: "+o+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(n)+r[i+1],r[0]);return new B(t,r,Ie)},tt=(r,e)=>{if(ne)r.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let s=document.createElement("style"),n=se.litNonce;n!==void 0&&s.setAttribute("nonce",n),s.textContent=t.cssText,r.appendChild(s)}},_e=ne?r=>r:r=>r instanceof CSSStyleSheet?(e=>{let t="";for(let s of e.cssRules)t+=s.cssText;return et(t)})(r):r;var{is:er,defineProperty:tr,getOwnPropertyDescriptor:rr,getOwnPropertyNames:sr,getOwnPropertySymbols:nr,getPrototypeOf:ir}=Object,ie=globalThis,rt=ie.trustedTypes,or=rt?rt.emptyScript:"",ar=ie.reactiveElementPolyfillSupport,V=(r,e)=>r,ke={toAttribute(r,e){switch(e){case Boolean:r=r?or:null;break;case Object:case Array:r=r==null?r:JSON.stringify(r)}return r},fromAttribute(r,e){let t=r;switch(e){case Boolean:t=r!==null;break;case Number:t=r===null?null:Number(r);break;case Object:case Array:try{t=JSON.parse(r)}catch{t=null}}return t}},nt=(r,e)=>!er(r,e),st={attribute:!0,type:String,converter:ke,reflect:!1,useDefault:!1,hasChanged:nt};Symbol.metadata??=Symbol("metadata"),ie.litPropertyMetadata??=new WeakMap;var x=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=st){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let s=Symbol(),n=this.getPropertyDescriptor(e,s,t);n!==void 0&&tr(this.prototype,e,n)}}static getPropertyDescriptor(e,t,s){let{get:n,set:i}=rr(this.prototype,e)??{get(){return this[t]},set(o){this[t]=o}};return{get:n,set(o){let a=n?.call(this);i?.call(this,o),this.requestUpdate(e,a,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??st}static _$Ei(){if(this.hasOwnProperty(V("elementProperties")))return;let e=ir(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(V("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(V("properties"))){let t=this.properties,s=[...sr(t),...nr(t)];for(let n of s)this.createProperty(n,t[n])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[s,n]of t)this.elementProperties.set(s,n)}this._$Eh=new Map;for(let[t,s]of this.elementProperties){let n=this._$Eu(t,s);n!==void 0&&this._$Eh.set(n,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let s=new Set(e.flat(1/0).reverse());for(let n of s)t.unshift(_e(n))}else e!==void 0&&t.push(_e(e));return t}static _$Eu(e,t){let s=t.attribute;return s===!1?void 0:typeof s=="string"?s:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let s of t.keys())this.hasOwnProperty(s)&&(e.set(s,this[s]),delete this[s]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return tt(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,s){this._$AK(e,s)}_$ET(e,t){let s=this.constructor.elementProperties.get(e),n=this.constructor._$Eu(e,s);if(n!==void 0&&s.reflect===!0){let i=(s.converter?.toAttribute!==void 0?s.converter:ke).toAttribute(t,s.type);this._$Em=e,i==null?this.removeAttribute(n):this.setAttribute(n,i),this._$Em=null}}_$AK(e,t){let s=this.constructor,n=s._$Eh.get(e);if(n!==void 0&&this._$Em!==n){let i=s.getPropertyOptions(n),o=typeof i.converter=="function"?{fromAttribute:i.converter}:i.converter?.fromAttribute!==void 0?i.converter:ke;this._$Em=n;let a=o.fromAttribute(t,i.type);this[n]=a??this._$Ej?.get(n)??a,this._$Em=null}}requestUpdate(e,t,s,n=!1,i){if(e!==void 0){let o=this.constructor;if(n===!1&&(i=this[e]),s??=o.getPropertyOptions(e),!((s.hasChanged??nt)(i,t)||s.useDefault&&s.reflect&&i===this._$Ej?.get(e)&&!this.hasAttribute(o._$Eu(e,s))))return;this.C(e,t,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:s,reflect:n,wrapped:i},o){s&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,o??t??this[e]),i!==!0||o!==void 0)||(this._$AL.has(e)||(this.hasUpdated||s||(t=void 0),this._$AL.set(e,t)),n===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[n,i]of this._$Ep)this[n]=i;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[n,i]of s){let{wrapped:o}=i,a=this[n];o!==!0||this._$AL.has(n)||a===void 0||this.C(n,void 0,i,a)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(t)):this._$EM()}catch(s){throw e=!1,this._$EM(),s}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};x.elementStyles=[],x.shadowRootOptions={mode:"open"},x[V("elementProperties")]=new Map,x[V("finalized")]=new Map,ar?.({ReactiveElement:x}),(ie.reactiveElementVersions??=[]).push("2.1.2");var De=globalThis,it=r=>r,oe=De.trustedTypes,ot=oe?oe.createPolicy("lit-html",{createHTML:r=>r}):void 0,ht="$lit$",_=`lit$${Math.random().toFixed(9).slice(2)}$`,pt="?"+_,lr=`<${pt}>`,M=document,K=()=>M.createComment(""),W=r=>r===null||typeof r!="object"&&typeof r!="function",Le=Array.isArray,cr=r=>Le(r)||typeof r?.[Symbol.iterator]=="function",Ce=`[ 	
\f\r]`,F=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,at=/-->/g,lt=/>/g,P=RegExp(`>|${Ce}(?:([^\\s"'>=/]+)(${Ce}*=${Ce}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),ct=/'/g,dt=/"/g,ft=/^(?:script|style|textarea|title)$/i,Oe=r=>(e,...t)=>({_$litType$:r,strings:e,values:t}),c=Oe(1),Br=Oe(2),Vr=Oe(3),D=Symbol.for("lit-noChange"),h=Symbol.for("lit-nothing"),ut=new WeakMap,N=M.createTreeWalker(M,129);function mt(r,e){if(!Le(r)||!r.hasOwnProperty("raw"))throw Error("invalid template strings array");return ot!==void 0?ot.createHTML(e):e}var dr=(r,e)=>{let t=r.length-1,s=[],n,i=e===2?"<svg>":e===3?"<math>":"",o=F;for(let a=0;a<t;a++){let l=r[a],d,m,u=-1,f=0;for(;f<l.length&&(o.lastIndex=f,m=o.exec(l),m!==null);)f=o.lastIndex,o===F?m[1]==="!--"?o=at:m[1]!==void 0?o=lt:m[2]!==void 0?(ft.test(m[2])&&(n=RegExp("</"+m[2],"g")),o=P):m[3]!==void 0&&(o=P):o===P?m[0]===">"?(o=n??F,u=-1):m[1]===void 0?u=-2:(u=o.lastIndex-m[2].length,d=m[1],o=m[3]===void 0?P:m[3]==='"'?dt:ct):o===dt||o===ct?o=P:o===at||o===lt?o=F:(o=P,n=void 0);let p=o===P&&r[a+1].startsWith("/>")?" ":"";i+=o===F?l+lr:u>=0?(s.push(d),l.slice(0,u)+ht+l.slice(u)+_+p):l+_+(u===-2?a:p)}return[mt(r,i+(r[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),s]},Q=class r{constructor({strings:e,_$litType$:t},s){let n;this.parts=[];let i=0,o=0,a=e.length-1,l=this.parts,[d,m]=dr(e,t);if(this.el=r.createElement(d,s),N.currentNode=this.el.content,t===2||t===3){let u=this.el.content.firstChild;u.replaceWith(...u.childNodes)}for(;(n=N.nextNode())!==null&&l.length<a;){if(n.nodeType===1){if(n.hasAttributes())for(let u of n.getAttributeNames())if(u.endsWith(ht)){let f=m[o++],p=n.getAttribute(u).split(_),w=/([.?@])?(.*)/.exec(f);l.push({type:1,index:i,name:w[2],strings:p,ctor:w[1]==="."?Re:w[1]==="?"?Pe:w[1]==="@"?Ne:j}),n.removeAttribute(u)}else u.startsWith(_)&&(l.push({type:6,index:i}),n.removeAttribute(u));if(ft.test(n.tagName)){let u=n.textContent.split(_),f=u.length-1;if(f>0){n.textContent=oe?oe.emptyScript:"";for(let p=0;p<f;p++)n.append(u[p],K()),N.nextNode(),l.push({type:2,index:++i});n.append(u[f],K())}}}else if(n.nodeType===8)if(n.data===pt)l.push({type:2,index:i});else{let u=-1;for(;(u=n.data.indexOf(_,u+1))!==-1;)l.push({type:7,index:i}),u+=_.length-1}i++}}static createElement(e,t){let s=M.createElement("template");return s.innerHTML=e,s}};function H(r,e,t=r,s){if(e===D)return e;let n=s!==void 0?t._$Co?.[s]:t._$Cl,i=W(e)?void 0:e._$litDirective$;return n?.constructor!==i&&(n?._$AO?.(!1),i===void 0?n=void 0:(n=new i(r),n._$AT(r,t,s)),s!==void 0?(t._$Co??=[])[s]=n:t._$Cl=n),n!==void 0&&(e=H(r,n._$AS(r,e.values),n,s)),e}var Ue=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:s}=this._$AD,n=(e?.creationScope??M).importNode(t,!0);N.currentNode=n;let i=N.nextNode(),o=0,a=0,l=s[0];for(;l!==void 0;){if(o===l.index){let d;l.type===2?d=new Y(i,i.nextSibling,this,e):l.type===1?d=new l.ctor(i,l.name,l.strings,this,e):l.type===6&&(d=new Me(i,this,e)),this._$AV.push(d),l=s[++a]}o!==l?.index&&(i=N.nextNode(),o++)}return N.currentNode=M,n}p(e){let t=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(e,s,t),t+=s.strings.length-2):s._$AI(e[t])),t++}},Y=class r{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,s,n){this.type=2,this._$AH=h,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=s,this.options=n,this._$Cv=n?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=H(this,e,t),W(e)?e===h||e==null||e===""?(this._$AH!==h&&this._$AR(),this._$AH=h):e!==this._$AH&&e!==D&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):cr(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==h&&W(this._$AH)?this._$AA.nextSibling.data=e:this.T(M.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:s}=e,n=typeof s=="number"?this._$AC(e):(s.el===void 0&&(s.el=Q.createElement(mt(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===n)this._$AH.p(t);else{let i=new Ue(n,this),o=i.u(this.options);i.p(t),this.T(o),this._$AH=i}}_$AC(e){let t=ut.get(e.strings);return t===void 0&&ut.set(e.strings,t=new Q(e)),t}k(e){Le(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,s,n=0;for(let i of e)n===t.length?t.push(s=new r(this.O(K()),this.O(K()),this,this.options)):s=t[n],s._$AI(i),n++;n<t.length&&(this._$AR(s&&s._$AB.nextSibling,n),t.length=n)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let s=it(e).nextSibling;it(e).remove(),e=s}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},j=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,s,n,i){this.type=1,this._$AH=h,this._$AN=void 0,this.element=e,this.name=t,this._$AM=n,this.options=i,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=h}_$AI(e,t=this,s,n){let i=this.strings,o=!1;if(i===void 0)e=H(this,e,t,0),o=!W(e)||e!==this._$AH&&e!==D,o&&(this._$AH=e);else{let a=e,l,d;for(e=i[0],l=0;l<i.length-1;l++)d=H(this,a[s+l],t,l),d===D&&(d=this._$AH[l]),o||=!W(d)||d!==this._$AH[l],d===h?e=h:e!==h&&(e+=(d??"")+i[l+1]),this._$AH[l]=d}o&&!n&&this.j(e)}j(e){e===h?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},Re=class extends j{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===h?void 0:e}},Pe=class extends j{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==h)}},Ne=class extends j{constructor(e,t,s,n,i){super(e,t,s,n,i),this.type=5}_$AI(e,t=this){if((e=H(this,e,t,0)??h)===D)return;let s=this._$AH,n=e===h&&s!==h||e.capture!==s.capture||e.once!==s.once||e.passive!==s.passive,i=e!==h&&(s===h||n);n&&this.element.removeEventListener(this.name,this,s),i&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},Me=class{constructor(e,t,s){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(e){H(this,e)}};var ur=De.litHtmlPolyfillSupport;ur?.(Q,Y),(De.litHtmlVersions??=[]).push("3.3.3");var gt=(r,e,t)=>{let s=t?.renderBefore??e,n=s._$litPart$;if(n===void 0){let i=t?.renderBefore??null;s._$litPart$=n=new Y(e.insertBefore(K(),i),i,void 0,t??{})}return n._$AI(r),n};var He=globalThis,v=class extends x{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=gt(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return D}};v._$litElement$=!0,v.finalized=!0,He.litElementHydrateSupport?.({LitElement:v});var hr=He.litElementPolyfillSupport;hr?.({LitElement:v});(He.litElementVersions??=[]).push("4.2.2");var k=S`
  :host {
    --ui-accent: #1d4ed8;
    --ui-accent-text: #ffffff;
    --ui-text: #1f2937;
    --ui-muted: #4b5563;
    --ui-border: #d1d5db;
    --ui-surface: #ffffff;
    --ui-subtle: #f3f4f6;
    --ui-danger: #b91c1c;
    --ui-success: #166534;
    --ui-warning: #92400e;
    --ui-radius: 6px;
    --ui-focus: 0 0 0 3px #93c5fd;
    display: block;
    color: var(--ui-text);
    font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--ui-border);
    background: var(--ui-surface);
    border-radius: var(--ui-radius);
    padding: 0.35em 0.8em;
  }
  button.primary {
    background: var(--ui-accent);
    border-color: var(--ui-accent);
    color: var(--ui-accent-text);
  }
  button.danger {
    color: var(--ui-danger);
    border-color: currentColor;
  }
  button.danger.primary {
    background: var(--ui-danger);
    border-color: var(--ui-danger);
    color: #fff;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  :focus-visible {
    outline: none;
    box-shadow: var(--ui-focus);
  }
  input,
  select,
  textarea {
    border: 1px solid var(--ui-border);
    border-radius: var(--ui-radius);
    padding: 0.35em 0.5em;
    background: var(--ui-surface);
  }
  [aria-invalid="true"] {
    border-color: var(--ui-danger);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .error {
    color: var(--ui-danger);
  }
  .success {
    color: var(--ui-success);
  }
  .muted {
    color: var(--ui-muted);
  }
  .badge {
    display: inline-block;
    padding: 0 0.5em;
    border-radius: 999px;
    background: var(--ui-subtle);
    font-size: 0.9em;
    white-space: nowrap;
  }
  .badge.pending {
    background: #dbeafe;
    color: #1e3a8a;
  }
  .badge.accepted {
    background: #dcfce7;
    color: #14532d;
  }
  .badge.canceled {
    background: #e5e7eb;
    color: #374151;
  }
  .badge.expired {
    background: #fef3c7;
    color: #78350f;
  }
  .badge.problem {
    background: #fee2e2;
    color: #7f1d1d;
  }
  dialog {
    border: 1px solid var(--ui-border);
    border-radius: calc(var(--ui-radius) * 2);
    padding: 1.25rem 1.5rem;
    max-width: min(36rem, 92vw);
    width: 100%;
    color: var(--ui-text);
    background: var(--ui-surface);
  }
  dialog::backdrop {
    background: rgb(17 24 39 / 45%);
  }
  dialog h2 {
    margin-top: 0;
    font-size: 1.2rem;
  }
  .actions {
    display: flex;
    gap: 0.5rem;
    justify-content: flex-end;
    margin-top: 1rem;
  }
`;var ae=class extends v{static{this.properties={question:{state:!0}}}static{this.styles=k}#e=null;#r=null;constructor(){super(),this.question={title:"",message:"",confirm:"OK",dismiss:"Cancel"}}get#t(){return this.renderRoot.querySelector("dialog")}async ask(e,t){return this.#e?.(!1),this.question=e,this.#r=t,await this.updateComplete,this.#t.returnValue="",this.#t.showModal(),this.renderRoot.querySelector("#dismiss").focus(),new Promise(s=>this.#e=s)}firstUpdated(e){this.#t.addEventListener("close",()=>{let t=this.#t.returnValue==="confirm",s=this.#e;this.#e=null,this.#r?.isConnected&&this.#r.focus(),this.#r=null,s?.(t)})}#s(e){this.#t.close(e)}render(){return c`
      <dialog role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-message">
        <h2 id="confirm-title">${this.question.title}</h2>
        <p id="confirm-message">${this.question.message}</p>
        <div class="actions">
          <button id="dismiss" type="button" @click=${()=>this.#s("dismiss")}>${this.question.dismiss}</button>
          <button id="confirm" type="button" class="danger primary" @click=${()=>this.#s("confirm")}>
            ${this.question.confirm}
          </button>
        </div>
      </dialog>
    `}};var pr=/\{[^{}]+\}/g,fr=()=>typeof process=="object"&&Number.parseInt(process?.versions?.node?.substring(0,2))>=18&&process.versions.undici;function mr(){return Math.random().toString(36).slice(2,11)}function $t(r){let{baseUrl:e="",Request:t=globalThis.Request,fetch:s=globalThis.fetch,querySerializer:n,bodySerializer:i,pathSerializer:o,headers:a,requestInitExt:l=void 0,...d}={...r};l=fr()?l:void 0,e=vt(e);let m=[];async function u(f,p){let{baseUrl:w,fetch:Ke=s,Request:We=t,headers:Qe,params:O={},parseAs:X="json",querySerializer:Z,bodySerializer:Ye=i??br,pathSerializer:Jt,body:Je,middleware:Gt=[],...Ee}=p||{},Ae=e;w&&(Ae=vt(w)??e);let Se=typeof n=="function"?n:bt(n);Z&&(Se=typeof Z=="function"?Z:bt({...typeof n=="object"?n:{},...Z}));let Ge=Jt||o||gr,xe=Je===void 0?void 0:Ye(Je,yt(a,Qe,O.header)),Xt=yt(xe===void 0||xe instanceof FormData?{}:{"Content-Type":"application/json"},a,Qe,O.header),T=[...m,...Gt],Zt={redirect:"follow",...d,...Ee,body:xe,headers:Xt},ee,te,I=new We(yr(f,{baseUrl:Ae,params:O,querySerializer:Se,pathSerializer:Ge}),Zt),g;for(let y in Ee)y in I||(I[y]=Ee[y]);if(T.length){ee=mr(),te=Object.freeze({baseUrl:Ae,fetch:Ke,parseAs:X,querySerializer:Se,bodySerializer:Ye,pathSerializer:Ge});for(let y of T)if(y&&typeof y=="object"&&typeof y.onRequest=="function"){let b=await y.onRequest({request:I,schemaPath:f,params:O,options:te,id:ee});if(b)if(b instanceof We)I=b;else if(b instanceof Response){g=b;break}else throw new Error("onRequest: must return new Request() or Response() when modifying the request")}}if(!g){try{g=await Ke(I,l)}catch(y){let b=y;if(T.length)for(let R=T.length-1;R>=0;R--){let re=T[R];if(re&&typeof re=="object"&&typeof re.onError=="function"){let q=await re.onError({request:I,error:b,schemaPath:f,params:O,options:te,id:ee});if(q){if(q instanceof Response){b=void 0,g=q;break}if(q instanceof Error){b=q;continue}throw new Error("onError: must return new Response() or instance of Error")}}}if(b)throw b}if(T.length)for(let y=T.length-1;y>=0;y--){let b=T[y];if(b&&typeof b=="object"&&typeof b.onResponse=="function"){let R=await b.onResponse({request:I,response:g,schemaPath:f,params:O,options:te,id:ee});if(R){if(!(R instanceof Response))throw new Error("onResponse: must return new Response() when modifying the response");g=R}}}}let Xe=g.headers.get("Content-Length");if(g.status===204||I.method==="HEAD"||Xe==="0"&&!g.headers.get("Transfer-Encoding")?.includes("chunked"))return g.ok?{data:void 0,response:g}:{error:void 0,response:g};if(g.ok)return{data:await(async()=>{if(X==="stream")return g.body;if(X==="json"&&!Xe){let b=await g.text();return b?JSON.parse(b):void 0}return await g[X]()})(),response:g};let Te=await g.text();try{Te=JSON.parse(Te)}catch{}return{error:Te,response:g}}return{request(f,p,w){return u(p,{...w,method:f.toUpperCase()})},GET(f,p){return u(f,{...p,method:"GET"})},PUT(f,p){return u(f,{...p,method:"PUT"})},POST(f,p){return u(f,{...p,method:"POST"})},DELETE(f,p){return u(f,{...p,method:"DELETE"})},OPTIONS(f,p){return u(f,{...p,method:"OPTIONS"})},HEAD(f,p){return u(f,{...p,method:"HEAD"})},PATCH(f,p){return u(f,{...p,method:"PATCH"})},TRACE(f,p){return u(f,{...p,method:"TRACE"})},use(...f){for(let p of f)if(p){if(typeof p!="object"||!("onRequest"in p||"onResponse"in p||"onError"in p))throw new Error("Middleware must be an object with one of `onRequest()`, `onResponse() or `onError()`");m.push(p)}},eject(...f){for(let p of f){let w=m.indexOf(p);w!==-1&&m.splice(w,1)}}}}function le(r,e,t){if(e==null)return"";if(typeof e=="object")throw new Error("Deeply-nested arrays/objects aren’t supported. Provide your own `querySerializer()` to handle these.");return`${r}=${t?.allowReserved===!0?e:encodeURIComponent(e)}`}function wt(r,e,t){if(!e||typeof e!="object")return"";let s=[],n={simple:",",label:".",matrix:";"}[t.style]||"&";if(t.style!=="deepObject"&&t.explode===!1){for(let a in e)s.push(a,t.allowReserved===!0?e[a]:encodeURIComponent(e[a]));let o=s.join(",");switch(t.style){case"form":return`${r}=${o}`;case"label":return`.${o}`;case"matrix":return`;${r}=${o}`;default:return o}}for(let o in e){let a=t.style==="deepObject"?`${r}[${o}]`:o;s.push(le(a,e[o],t))}let i=s.join(n);return t.style==="label"||t.style==="matrix"?`${n}${i}`:i}function Et(r,e,t){if(!Array.isArray(e))return"";if(t.explode===!1){let i={form:",",spaceDelimited:"%20",pipeDelimited:"|"}[t.style]||",",o=(t.allowReserved===!0?e:e.map(a=>encodeURIComponent(a))).join(i);switch(t.style){case"simple":return o;case"label":return`.${o}`;case"matrix":return`;${r}=${o}`;default:return`${r}=${o}`}}let s={simple:",",label:".",matrix:";"}[t.style]||"&",n=[];for(let i of e)t.style==="simple"||t.style==="label"?n.push(t.allowReserved===!0?i:encodeURIComponent(i)):n.push(le(r,i,t));return t.style==="label"||t.style==="matrix"?`${s}${n.join(s)}`:n.join(s)}function bt(r){return function(t){let s=[];if(t&&typeof t=="object")for(let n in t){let i=t[n];if(i!=null){if(Array.isArray(i)){if(i.length===0)continue;s.push(Et(n,i,{style:"form",explode:!0,...r?.array,allowReserved:r?.allowReserved||!1}));continue}if(typeof i=="object"){s.push(wt(n,i,{style:"deepObject",explode:!0,...r?.object,allowReserved:r?.allowReserved||!1}));continue}s.push(le(n,i,r))}}return s.join("&")}}function gr(r,e){let t=r;for(let s of r.match(pr)??[]){let n=s.substring(1,s.length-1),i=!1,o="simple";if(n.endsWith("*")&&(i=!0,n=n.substring(0,n.length-1)),n.startsWith(".")?(o="label",n=n.substring(1)):n.startsWith(";")&&(o="matrix",n=n.substring(1)),!e||e[n]===void 0||e[n]===null)continue;let a=e[n];if(Array.isArray(a)){t=t.replace(s,Et(n,a,{style:o,explode:i}));continue}if(typeof a=="object"){t=t.replace(s,wt(n,a,{style:o,explode:i}));continue}if(o==="matrix"){t=t.replace(s,`;${le(n,a)}`);continue}t=t.replace(s,o==="label"?`.${encodeURIComponent(a)}`:encodeURIComponent(a))}return t}function br(r,e){return r instanceof FormData?r:e&&(e.get instanceof Function?e.get("Content-Type")??e.get("content-type"):e["Content-Type"]??e["content-type"])==="application/x-www-form-urlencoded"?new URLSearchParams(r).toString():JSON.stringify(r)}function yr(r,e){let t=`${e.baseUrl}${r}`;e.params?.path&&(t=e.pathSerializer(t,e.params.path));let s=e.querySerializer(e.params.query??{});return s.startsWith("?")&&(s=s.substring(1)),s&&(t+=`?${s}`),t}function yt(...r){let e=new Headers;for(let t of r){if(!t||typeof t!="object")continue;let s=t instanceof Headers?t.entries():Object.entries(t);for(let[n,i]of s)if(i===null)e.delete(n);else if(Array.isArray(i))for(let o of i)e.append(n,o);else i!==void 0&&e.set(n,i)}return e}function vt(r){return r.endsWith("/")?r.substring(0,r.length-1):r}var $=class r extends Error{name="UserInvitesError";status;code;errors;retryAfter;problem;constructor(e){super(e.message),this.status=e.status,this.code=e.code,this.errors=e.errors??[],this.retryAfter=e.retryAfter,this.problem=e.problem}static fromResponse(e,t){let s=$r(e.headers.get("retry-after"));if(vr(t)){let i=t.errors.map(o=>`${o.field}: ${o.message}`).join("; ");return new r({status:e.status,code:t.code,message:`${t.code} (${e.status}): ${t.detail}${i?` [${i}]`:""}`,errors:t.errors,retryAfter:s,problem:t})}let n=wr(e.status);return new r({status:e.status,code:n,message:`${n} (${e.status}): the answer was not a problem+json document`,retryAfter:s})}},E=class extends Error{name="UserInvitesNetworkError";attempts;constructor(e,t){super(e,{cause:t.cause}),this.attempts=t.attempts??1}};function vr(r){if(typeof r!="object"||r===null)return!1;let e=r;return typeof e.code=="string"&&typeof e.status=="number"&&Array.isArray(e.errors)}function $r(r){if(r===null||r.trim()==="")return;if(/^\d+$/.test(r.trim()))return Number(r.trim());let e=Date.parse(r);if(!Number.isNaN(e))return Math.max(0,Math.ceil((e-Date.now())/1e3))}function wr(r){switch(r){case 400:return"VALIDATION_FAILED";case 401:return"UNAUTHENTICATED";case 403:return"FORBIDDEN";case 404:return"NOT_FOUND";case 405:return"METHOD_NOT_ALLOWED";case 413:return"PAYLOAD_TOO_LARGE";case 429:return"RATE_LIMITED";case 502:case 503:case 504:return"UNAVAILABLE";default:return"INTERNAL"}}var Er={CREATED_AT:"createdAt",UPDATED_AT:"updatedAt",EMAIL:"email",STATUS:"status"},Ar=["email","createdByUserId","acceptedByUserId","tenantId"],Sr=new Set(["limit","offset","cursor","search","filter","order"]);function At(r={}){let e=n=>{throw new TypeError(`userInvites: ${n} cannot be mapped onto the API's query (see the package README)`)};for(let n of Object.keys(r))Sr.has(n)||e(n);let t={};if(r.limit!==void 0&&(t.limit=r.limit),r.offset!==void 0&&(t.offset=r.offset),r.cursor!==void 0&&(t.cursor=r.cursor),r.search!==void 0)if(typeof r.search=="string")t.search=r.search;else{for(let n of Object.keys(r.search))n!=="value"&&e(`search.${n}`);t.search=r.search.value}let s=r.filter??{};for(let[n,i]of Object.entries(s)){if(i===void 0)continue;(typeof i!="object"||i===null)&&e(`filter.${n}`);let o=Object.entries(i).filter(([,a])=>a!==void 0);if(n==="status"){o.length!==1&&e("filter.status with other than one of equalTo, valueIn");let[a,l]=o[0];a==="equalTo"?t.status=[l]:a==="valueIn"&&Array.isArray(l)&&l.length>0?t.status=[...l]:e(a==="valueIn"?"filter.status.valueIn that is empty or not a list":`filter.status.${a}`)}else Ar.includes(n)?((o.length!==1||o[0][0]!=="equalTo")&&e(`filter.${n}.${o.map(([a])=>a).join(",")||"(nothing)"}`),t[n]=String(o[0][1])):e(`filter.${n}`)}if(r.order!==void 0){for(let o of Object.keys(r.order))o!=="order"&&o!=="sort"&&e(`order.${o}`);let{order:n,sort:i}=r.order;i!==void 0&&(t.sort=Er[i]??e(`order.sort ${String(i)}`)),n!==void 0&&(n!=="ASC"&&n!=="DESC"&&e(`order.order ${String(n)}`),t.order=n==="ASC"?"asc":"desc")}return t}function St(r){if(r===!1)return{maxAttempts:1,baseDelayMs:0,maxDelayMs:0,retryRateLimited:!1,maxRetryAfterSeconds:0};let e={maxAttempts:r?.maxAttempts??4,baseDelayMs:r?.baseDelayMs??200,maxDelayMs:r?.maxDelayMs??5e3,retryRateLimited:r?.retryRateLimited??!1,maxRetryAfterSeconds:r?.maxRetryAfterSeconds??60};if(!Number.isInteger(e.maxAttempts)||e.maxAttempts<1||e.maxAttempts>10)throw new TypeError("retry.maxAttempts must be a whole number from 1 to 10");if(!(e.baseDelayMs>=0)||!(e.maxDelayMs>=e.baseDelayMs))throw new TypeError("retry delays must satisfy 0 <= baseDelayMs <= maxDelayMs");return e}function xt(r,e,t=Math.random){let s=Math.min(r.maxDelayMs,r.baseDelayMs*2**(e-1));return Math.floor(t()*s)}function Tt(r,e){return new Promise((t,s)=>{if(e?.aborted){s(e.reason);return}let n=()=>{clearTimeout(i),s(e.reason)},i=setTimeout(()=>{e?.removeEventListener("abort",n),t()},r);e?.addEventListener("abort",n,{once:!0})})}var xr=new Set([502,503,504]),L=class{#e;#r;#t;constructor(e,t,s){this.#e=e,this.#r=t,this.#t=s}async sendUserInvites(e,t={}){let{signal:s}=t,n=St(t.retry??this.#t),i=t.idempotencyKey??_r(),o=JSON.stringify(e);for(let a=1;;a++)try{let l=await this.#s(Tr(e),s);return await this.#n(s,()=>this.#e.POST("/user-invites",{body:e,bodySerializer:()=>o,params:{header:{"Idempotency-Key":i}},headers:{Authorization:l},signal:s??null}))}catch(l){if(s?.aborted)throw s.reason;let d=l instanceof E||l instanceof $&&(xr.has(l.status)||l.code==="IDEMPOTENCY_KEY_IN_PROGRESS"),m=l instanceof $&&l.status===429&&n.retryRateLimited&&(l.retryAfter??0)<=n.maxRetryAfterSeconds;if(a>=n.maxAttempts||!(d||m))throw l instanceof E&&a>1?new E(`${l.message} (after ${a} attempts)`,{cause:l.cause,attempts:a}):l;let u=l instanceof $?l.retryAfter:void 0;await Tt(m&&u!==void 0?u*1e3:xt(n,a),s)}}async resendUserInvite(e,t={}){let{signal:s,sendEmail:n,expiresInDays:i}=t,o={};n!==void 0&&(o.sendEmail=n),i!==void 0&&(o.expiresInDays=i);let a=await this.#s(void 0,s);return this.#n(s,()=>this.#e.POST("/user-invites/{id}/resend",{params:{path:{id:e}},body:o,headers:{Authorization:a},signal:s??null}))}async cancelUserInvite(e,t={}){let{signal:s}=t,n=await this.#s(void 0,s);return this.#n(s,()=>this.#e.POST("/user-invites/{id}/cancel",{params:{path:{id:e}},headers:{Authorization:n},signal:s??null}))}async acceptUserInvite(e,t={}){let{signal:s}=t,n=await this.#s(void 0,s);return this.#n(s,()=>this.#e.POST("/user-invites/accept",{body:e,headers:{Authorization:n},signal:s??null}))}async updateUserInvite(e,t={}){let{signal:s}=t,{id:n,...i}=e,o=await this.#s(void 0,s);return this.#n(s,()=>this.#e.PATCH("/user-invites/{id}",{params:{path:{id:n}},body:i,headers:{Authorization:o},signal:s??null}))}async userInvites(e={},t={}){let{signal:s}=t,n=At(e),i=await this.#s(void 0,s);return this.#n(s,()=>this.#e.GET("/user-invites",{params:{query:n},headers:{Authorization:i},signal:s??null}))}async*allUserInvites(e={},t={}){let s=e;if(s.offset!==void 0||s.cursor!==void 0)throw new TypeError("allUserInvites follows nextCursor itself: it takes no offset nor cursor");let n;do{let i=await this.userInvites(n===void 0?e:{...e,cursor:n},t);for(let o of i.data)t.signal?.throwIfAborted(),yield o;n=i.nextCursor??void 0}while(n!==void 0)}async userInvite(e,t={}){let{signal:s}=t,n=await this.#s(void 0,s);return this.#n(s,()=>this.#e.GET("/user-invites/{id}",{params:{path:{id:e.id}},headers:{Authorization:n},signal:s??null}))}async checkUserInviteToken(e,t={}){let{signal:s}=t;return s?.throwIfAborted(),this.#n(s,()=>this.#e.POST("/user-invites/check-token",{body:{token:e},signal:s??null}))}async#s(e,t){return t?.throwIfAborted(),`Bearer ${await this.#r({tenantId:e,signal:t})}`}async#n(e,t){e?.throwIfAborted();let s;try{s=await t()}catch(n){if(e?.aborted)throw e.reason;let i=n instanceof Error?n.cause instanceof Error?n.cause.message:n.message:String(n);throw new E(`no usable answer from the User Invites API: ${i}`,{cause:n})}if(!s.response.ok)throw $.fromResponse(s.response,s.error);return s.data}};function Tr(r){let e=r?.userInvites?.tenantId;return typeof e=="string"&&Ir.test(e)?e:void 0}var Ir=/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;function _r(){if(typeof globalThis.crypto?.randomUUID=="function")return globalThis.crypto.randomUUID();let r=globalThis.crypto.getRandomValues(new Uint8Array(16));r[6]=r[6]&15|64,r[8]=r[8]&63|128;let e=Array.from(r,t=>t.toString(16).padStart(2,"0")).join("");return`${e.slice(0,8)}-${e.slice(8,12)}-${e.slice(12,16)}-${e.slice(16,20)}-${e.slice(20)}`}var ce=class{#e;#r;#t;#s;#n=new Map;constructor(e){if(this.#r=e.tokenTtlSeconds??300,!Number.isInteger(this.#r)||this.#r<10)throw new TypeError("tokenTtlSeconds must be a whole number of seconds, at least 10");this.#t=e.issuer,this.#s=e.audience,this.#e=typeof e.signer=="function"?e.signer:kr(e.signer)}async token(e,t){let s=JSON.stringify([e.sub,e.tenantId??null,e.superAdmin??!1,e.roles??null,e.name??null]),n=Date.now(),i=this.#n.get(s);if(i&&i.renewAt>n)return i.token;let o=Math.floor(n/1e3),a={sub:e.sub,iat:o,exp:o+this.#r};e.tenantId!==void 0&&(a.tenantId=e.tenantId),e.superAdmin&&(a.superAdmin=!0),e.roles!==void 0&&(a.roles=[...e.roles]),e.name!==void 0&&(a.name=e.name),this.#t!==void 0&&(a.iss=this.#t),this.#s!==void 0&&(a.aud=this.#s);let l=await this.#e(a,t?{signal:t}:{});return this.#n.set(s,{token:l,renewAt:n+this.#r*1e3/2}),l}};function kr(r){let e=typeof r=="string"?new TextEncoder().encode(r):r;if(e.byteLength<32)throw new TypeError(`an HS256 secret must be at least 32 bytes; this one has ${e.byteLength}`);let t;return async s=>{t??=It().importKey("raw",new Uint8Array(e),{name:"HMAC",hash:"SHA-256"},!1,["sign"]);let n=je(new TextEncoder().encode(JSON.stringify({alg:"HS256",typ:"JWT"}))),i=je(new TextEncoder().encode(JSON.stringify(s))),o=`${n}.${i}`,a=await It().sign("HMAC",await t,new TextEncoder().encode(o));return`${o}.${je(new Uint8Array(a))}`}}function It(){let r=globalThis.crypto?.subtle;if(!r)throw new Error("Web Crypto (crypto.subtle) is not available: use Node 20+ or a secure browser context");return r}function je(r){let e="";for(let t of r)e+=String.fromCharCode(t);return btoa(e).replace(/\+/g,"-").replace(/\//g,"_").replace(/=+$/,"")}var Cr="00000000-0000-0000-0000-000000000000";function de(r){if(typeof r?.baseUrl!="string"||r.baseUrl==="")throw new TypeError("createClient: baseUrl is required");let e=r.signer!==void 0,t=r.token!==void 0;if(e===t)throw new TypeError("createClient: give either signer (server mode) or token (browser mode), not both");let s=$t({baseUrl:r.baseUrl,...r.fetch?{fetch:r.fetch}:{},querySerializer:{array:{style:"form",explode:!1}}});if(t){let{token:a}=r,l=async({signal:d})=>typeof a=="string"?a:a({signal:d});return new L(s,l,r.retry)}let n=r,i=new ce({signer:n.signer,tokenTtlSeconds:n.tokenTtlSeconds,issuer:n.issuer,audience:n.audience}),o=new L(s,()=>Promise.reject(new Error("check-token needs no token")),r.retry);return{asUser(a,l={}){return _t("asUser",a),new L(s,async({tenantId:d,signal:m})=>{let u=l.roles??(typeof n.userRoles=="function"?await n.userRoles(a):n.userRoles);return i.token({sub:a,tenantId:l.tenantId??d??n.tenantId,roles:u,name:l.name},m)},r.retry)},asSuperAdmin(a={}){let l=a.userId??n.superAdminUserId??Cr;return _t("asSuperAdmin",l),new L(s,({signal:d})=>i.token({sub:l,tenantId:a.tenantId,superAdmin:!0,name:a.name},d),r.retry)},checkUserInviteToken:(a,l)=>o.checkUserInviteToken(a,l)}}function _t(r,e){if(typeof e!="string"||e==="")throw new TypeError(`${r}: a user id is required`)}var C=class extends Error{constructor(){super("Sign in first.");this.name="SignInRequired"}};function kt(r){return(r?.trim()||globalThis.location?.origin||"").replace(/\/+$/,"")}function ue(r,e){return de({baseUrl:kt(r),token:async()=>{let t=typeof e=="function"?await e():e;if(!t)throw new C;return t}})}function Ct(r){return de({baseUrl:kt(r),token:()=>Promise.reject(new C)})}function U(r){if(r instanceof C)return"You are not signed in: no token was given.";if(r instanceof $){let e=r.problem?.detail,t=r.errors.map(i=>`${i.field}: ${i.message}`).join("; "),s=e?Ur(e):`The server answered ${r.status}.`,n=r.retryAfter!==void 0?` Try again in ${r.retryAfter} s.`:"";return`${s}${t?` (${t})`:""}${n} [${r.code}]`}return r instanceof E?"The server could not be reached. Check your connection and try again.":r instanceof Error&&r.name==="AbortError"?"The request was stopped.":r instanceof Error?r.message:String(r)}function Ur(r){let e=r.trim(),t=e.charAt(0).toUpperCase()+e.slice(1);return/[.!?]$/.test(t)?t:`${t}.`}function Ut(r){return r instanceof Error&&r.name==="AbortError"}var Rt=[k,S`
    section {
      max-width: 34rem;
    }
    h2 {
      font-size: 1.35rem;
      margin: 0 0 0.75rem;
    }
    h2:focus {
      outline: none;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.35rem 1rem;
      margin: 0 0 1rem;
    }
    dt {
      font-weight: 600;
      color: var(--ui-muted);
    }
    dd {
      margin: 0;
      word-break: break-word;
    }
    ul.roles {
      margin: 0;
      padding: 0;
      list-style: none;
      display: flex;
      flex-wrap: wrap;
      gap: 0.3rem;
    }
    ul.roles li {
      padding: 0 0.5rem;
      border-radius: 999px;
      background: var(--ui-subtle);
    }
    button.primary {
      font-size: 1.05rem;
      padding: 0.5em 1.2em;
    }
  `];var he=new Intl.NumberFormat("en-US");function J(r,e=!0){return`${he.format(r)}${e?"":"+"}`}function ze(r,e,t,s){if(e===0)return r===0?"No invites":`Nothing past ${he.format(r)}`;let n=r+1,i=r+e,o=s?J(t):J(Math.max(t,i),!1);return`${he.format(n)}–${he.format(i)} of ${o}`}function z(r,e){if(!r)return"";let t=new Date(r);if(Number.isNaN(t.getTime()))return r;try{return new Intl.DateTimeFormat(void 0,{dateStyle:"medium",timeStyle:"short",...e?{timeZone:e}:{}}).format(t)}catch{return new Intl.DateTimeFormat(void 0,{dateStyle:"medium",timeStyle:"short"}).format(t)}}function Pt(r,e){return[r,e].filter(t=>typeof t=="string"&&t!=="").join(" ")}function qe(r){let e=new Set,t=[],s=r.replace(/[^<>,;\n]*<([^<>]*)>/g," $1 ");for(let n of s.split(/[\s,;]+/)){let i=n.trim().replace(/^mailto:/i,"");if(i==="")continue;let o=i.toLowerCase();e.has(o)||(e.add(o),t.push(i))}return t}function Nt(r){return(r??"").split(/[\s,]+/).map(e=>e.trim()).filter(e=>e!=="")}function Mt(r){switch(r){case"queued":return"Queued";case"sent":return"Sent";case"delivered":return"Delivered";case"failed":return"Failed";case"bounced":return"Bounced";case"complained":return"Marked as spam";case"skipped":return"Not emailed";default:return r}}function pe(r){return r.charAt(0).toUpperCase()+r.slice(1)}var fe=class extends v{static{this.properties={baseUrl:{attribute:"base-url"},inviteToken:{attribute:"invite-token"},userToken:{attribute:!1},state:{state:!0},check:{state:!0},message:{state:!0}}}static{this.styles=Rt}#e;#r=!1;constructor(){super(),this.baseUrl="",this.inviteToken="",this.userToken=void 0,this.state="checking",this.check=void 0,this.message=""}get#t(){return this.inviteToken?this.inviteToken:new URL(globalThis.location.href).searchParams.get("token")??""}updated(e){(e.has("baseUrl")||e.has("inviteToken"))&&this.#s(),e.has("state")&&this.#r&&this.state!=="accepting"&&this.state!=="pending"&&(this.#r=!1,this.renderRoot.querySelector("h2")?.focus())}async#s(){let e=this.#t;if(!e){this.state="missing";return}this.#e?.abort();let t=new AbortController;this.#e=t,this.state="checking";try{let s=await Ct(this.baseUrl).checkUserInviteToken(e,{signal:t.signal});this.check=s,this.state=Dt(s)}catch(s){if(t.signal.aborted)return;this.state="error",this.message=`The invitation could not be checked. ${U(s)}`}}async#n(){if(this.state==="pending"){this.state="accepting",this.#r=!0,this.message="";try{let e=await ue(this.baseUrl,this.userToken).acceptUserInvite({acceptUserInvite:{token:this.#t}});this.state="done",this.dispatchEvent(new CustomEvent("accepted",{detail:{invite:e},bubbles:!0,composed:!0}))}catch(e){if(this.state="pending",e instanceof C||e instanceof $&&e.status===401){this.message=e instanceof C?"Sign in to accept this invitation.":"Your sign-in has expired or was not accepted. Sign in again to accept.";let t=this.dispatchEvent(new CustomEvent("sign-in-required",{bubbles:!0,composed:!0,cancelable:!0}));await this.updateComplete,t&&this.renderRoot.querySelector("#message")?.focus();return}if(e instanceof $){let t=Rr[e.code];if(t){this.state=t;return}}this.message=`The invitation could not be accepted. ${U(e)}`,await this.updateComplete,this.renderRoot.querySelector("#message")?.focus()}}}render(){return c`<section aria-busy=${this.state==="checking"||this.state==="accepting"?"true":"false"}>
      ${this.#a()}
    </section>`}#a(){let e=this.check,t=e?.createdByName,s=t?`Ask ${t} to send you a new one.`:"Ask the person who invited you to send a new one.";switch(this.state){case"checking":return c`<h2 tabindex="-1">Checking your invitation…</h2>`;case"missing":return c`<h2 tabindex="-1">No invitation in this link</h2>
          <p>Open the link from your invitation email exactly as it was sent.</p>`;case"invalid":return c`<h2 tabindex="-1">This invitation link is not valid</h2>
          <p>
            It may be incomplete, or a newer invitation was sent to you since: use the link in the latest email.
            ${s}
          </p>`;case"expired":return c`<h2 tabindex="-1">This invitation has expired</h2>
          ${this.#o(e)}
          <p>It could be accepted until ${this.#i(e?.expiresAt)}. ${s}</p>`;case"canceled":return c`<h2 tabindex="-1">This invitation was canceled</h2>
          ${this.#o(e)}
          <p>It can no longer be accepted. ${s}</p>`;case"accepted":return c`<h2 tabindex="-1">This invitation has already been accepted</h2>
          ${this.#o(e)}
          <p>There is nothing more to do: sign in to continue.</p>`;case"done":return c`<h2 tabindex="-1">You have joined ${e?.tenantName??"the tenant"}</h2>
          <p class="success">Invitation accepted.</p>`;case"error":return c`<h2 tabindex="-1">Something went wrong</h2>
          <p id="message" class="error" role="alert">${this.message}</p>
          <button type="button" @click=${()=>{this.#s()}}>Try again</button>`;case"pending":case"accepting":return c`<h2 tabindex="-1">
            ${t?`${t} invited you`:"You are invited"} to join ${e?.tenantName??"a tenant"}
          </h2>
          ${this.#o(e)}
          <p>You can accept until ${this.#i(e?.expiresAt)}.</p>
          ${this.message?c`<p id="message" class="error" role="alert" tabindex="-1">${this.message}</p>`:h}
          <button type="button" class="primary" ?disabled=${this.state==="accepting"} @click=${()=>{this.#n()}}>
            ${this.state==="accepting"?"Accepting…":"Accept invitation"}
          </button>`}}#i(e){return e?c`<time datetime=${e}>${z(e)}</time>`:"its expiry"}#o(e){if(!e?.email)return h;let t=e.roles??[];return c`<dl>
      <dt>Invitation for</dt>
      <dd>${e.email}</dd>
      <dt>Invited by</dt>
      <dd>${e.createdByName??c`<span class="muted">not named</span>`}</dd>
      <dt>Tenant</dt>
      <dd>
        ${e.tenantName??h}
        ${e.tenantId?c`<code class=${e.tenantName?"muted":""}>${e.tenantId}</code>`:h}
      </dd>
      <dt>Roles</dt>
      <dd>${t.length?c`<ul class="roles">${t.map(s=>c`<li>${s}</li>`)}</ul>`:c`<span class="muted">none</span>`}</dd>
      <dt>Valid until</dt>
      <dd>${this.#i(e.expiresAt)}</dd>
    </dl>`}};function Dt(r){return r.isValid?"pending":r.isExpired?"expired":r.status==="accepted"?"accepted":r.status==="canceled"?"canceled":r.status==="expired"?"expired":"invalid"}var Rr={INVITE_ALREADY_ACCEPTED:"accepted",INVITE_EXPIRED:"expired",INVITE_CANCELED:"canceled",TOKEN_INVALID:"invalid"};var me=100,Pr=["en-US","en-GB","de-DE","fr-FR","es-ES","it-IT","nl-NL","pt-BR","ja-JP","id-ID"],Nr=/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,ge=class extends v{static{this.properties={client:{attribute:!1},tenantId:{attribute:!1},askTenant:{attribute:!1},roleChoices:{attribute:!1},locale:{attribute:!1},outcomes:{state:!0},problem:{state:!0},inputError:{state:!0},tenantError:{state:!0},sending:{state:!0}}}static{this.styles=[k,S`
      form {
        display: grid;
        gap: 0.9rem;
      }
      label,
      legend {
        font-weight: 600;
      }
      .field {
        display: grid;
        gap: 0.3rem;
      }
      textarea {
        min-height: 7rem;
        resize: vertical;
      }
      fieldset {
        border: 1px solid var(--ui-border);
        border-radius: var(--ui-radius);
        padding: 0.5rem 0.75rem;
        margin: 0;
      }
      fieldset label {
        font-weight: normal;
        margin-right: 1rem;
        white-space: nowrap;
      }
      .hint {
        color: var(--ui-muted);
        font-size: 0.9em;
      }
      ul.outcomes {
        list-style: none;
        padding: 0;
        margin: 0;
        max-height: 12rem;
        overflow: auto;
        border: 1px solid var(--ui-border);
        border-radius: var(--ui-radius);
      }
      ul.outcomes li {
        padding: 0.3rem 0.6rem;
        border-bottom: 1px solid var(--ui-subtle);
      }
      ul.outcomes .address {
        font-weight: 600;
        word-break: break-all;
      }
    `]}#e=null;constructor(){super(),this.client=void 0,this.tenantId=void 0,this.askTenant=!1,this.roleChoices=[],this.locale="en-US",this.outcomes=[],this.problem="",this.inputError="",this.tenantError="",this.sending=!1}get#r(){return this.renderRoot.querySelector("dialog")}#t(e){return this.renderRoot.querySelector(`#${e}`)}async open(e){this.#e=e,this.outcomes=[],this.problem="",this.inputError="",this.tenantError="",await this.updateComplete,this.#r.showModal(),this.#t("emails").focus()}close(){this.#r.close()}#s=()=>{this.#e?.focus(),this.#e=null};firstUpdated(e){this.#r.addEventListener("close",this.#s)}#n(){return this.roleChoices.length===0?Nt(this.#t("roles").value):[...this.renderRoot.querySelectorAll('input[name="role"]:checked')].map(e=>e.value)}async#a(e){if(e.preventDefault(),this.sending||!this.client)return;let t=this.#t("emails"),s=qe(t.value);this.problem="",this.inputError=s.length===0?"Enter at least one email address.":s.length>me?`At most ${me} addresses at a time; this has ${s.length}.`:"";let n=this.askTenant?this.#t("tenant").value.trim():this.tenantId;if(this.tenantError=this.askTenant&&!Nr.test(n??"")?"Enter the tenant's id (a UUID).":"",this.inputError){t.focus();return}if(this.tenantError){this.#t("tenant").focus();return}let i=this.#n(),o=this.#t("locale").value.trim()||"en-US";this.sending=!0;let a;try{a=await this.client.sendUserInvites({userInvites:{tenantId:n??"",userInvites:s.map(d=>({email:d,roles:i,locale:o}))}})}catch(d){this.problem=U(d),this.sending=!1,await this.updateComplete,this.#t("problem").focus();return}this.sending=!1;let l=new Map(a.errors.map(d=>[d.index,d.message]));this.outcomes=s.map((d,m)=>{let u=l.get(m);return u===void 0?{email:d,ok:!0,message:"invited"}:{email:d,ok:!1,message:u}}),t.value=this.outcomes.filter(d=>!d.ok).map(d=>d.email).join(`
`),this.dispatchEvent(new CustomEvent("user-invites-sent",{detail:a,bubbles:!0,composed:!0})),await this.updateComplete,this.#t("summary").focus()}render(){let e=this.outcomes.filter(n=>n.ok).length,t=this.outcomes.length-e,s=["emails-hint",this.inputError?"emails-error":"",this.outcomes.length?"summary":""].filter(Boolean).join(" ");return c`
      <dialog aria-labelledby="send-title">
        <h2 id="send-title">Invite people</h2>
        <form novalidate @submit=${this.#a}>
          ${this.askTenant?c`<div class="field">
                <label for="tenant">Tenant id</label>
                <input
                  id="tenant"
                  autocomplete="off"
                  spellcheck="false"
                  .value=${this.tenantId??""}
                  aria-invalid=${this.tenantError?"true":"false"}
                  aria-describedby=${this.tenantError?"tenant-error":h}
                />
                ${this.tenantError?c`<span id="tenant-error" class="error">${this.tenantError}</span>`:h}
              </div>`:h}
          <div class="field">
            <label for="emails">Email addresses</label>
            <textarea
              id="emails"
              spellcheck="false"
              autocomplete="off"
              aria-describedby=${s}
              aria-invalid=${this.inputError||t>0?"true":"false"}
            ></textarea>
            <span id="emails-hint" class="hint">Paste up to ${me}, separated by commas, spaces or new lines.</span>
            ${this.inputError?c`<span id="emails-error" class="error">${this.inputError}</span>`:h}
          </div>
          ${this.roleChoices.length>0?c`<fieldset>
                <legend>Roles</legend>
                ${this.roleChoices.map(n=>c`<label><input type="checkbox" name="role" value=${n} /> ${n}</label>`)}
              </fieldset>`:c`<div class="field">
                <label for="roles">Roles</label>
                <input id="roles" autocomplete="off" aria-describedby="roles-hint" />
                <span id="roles-hint" class="hint">Role keys, separated by commas.</span>
              </div>`}
          <div class="field">
            <label for="locale">Language of the email</label>
            <input id="locale" list="locales" autocomplete="off" .value=${this.locale} />
            <datalist id="locales">${Pr.map(n=>c`<option value=${n}></option>`)}</datalist>
          </div>
          ${this.problem?c`<p id="problem" class="error" role="alert" tabindex="-1">${this.problem}</p>`:h}
          ${this.outcomes.length>0?c`<div>
                <p id="summary" role="status" tabindex="-1">
                  ${e} invited${t>0?c`, <span class="error">${t} not invited</span>: see below, correct and send again`:h}.
                </p>
                <ul class="outcomes" aria-label="Outcome for each address">
                  ${this.outcomes.map(n=>c`<li>
                      <span class="address">${n.email}</span> —
                      <span class=${n.ok?"success":"error"}>${n.ok?"invited":n.message}</span>
                    </li>`)}
                </ul>
              </div>`:h}
          <div class="actions">
            <button type="button" @click=${()=>this.close()}>Close</button>
            <button type="submit" class="primary" ?disabled=${this.sending} aria-busy=${this.sending?"true":"false"}>
              ${this.sending?"Sending…":"Send invitations"}
            </button>
          </div>
        </form>
      </dialog>
    `}};var Lt=[k,S`
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: flex-end;
      margin-bottom: 0.75rem;
    }
    .search {
      display: grid;
      gap: 0.2rem;
      flex: 1 1 16rem;
    }
    .search label {
      font-weight: 600;
    }
    [role="tablist"] {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      border-bottom: 1px solid var(--ui-border);
    }
    [role="tab"] {
      border: 1px solid transparent;
      border-bottom: none;
      border-radius: var(--ui-radius) var(--ui-radius) 0 0;
      background: transparent;
      margin-bottom: -1px;
    }
    [role="tab"][aria-selected="true"] {
      border-color: var(--ui-border);
      background: var(--ui-surface);
      font-weight: 600;
      border-bottom: 2px solid var(--ui-accent);
    }
    .count {
      display: inline-block;
      min-width: 1.5em;
      padding: 0 0.4em;
      border-radius: 999px;
      background: var(--ui-subtle);
      font-variant-numeric: tabular-nums;
    }
    .notice:empty,
    .error:empty {
      display: none;
    }
    .notice {
      color: var(--ui-success);
    }
    .scroll {
      overflow-x: auto;
    }
    table {
      width: 100%;
      border-collapse: collapse;
      margin-top: 0.5rem;
    }
    th,
    td {
      text-align: left;
      vertical-align: top;
      padding: 0.45rem 0.5rem;
      border-bottom: 1px solid var(--ui-subtle);
    }
    thead th {
      font-weight: 600;
      color: var(--ui-muted);
      white-space: nowrap;
      border-bottom: 1px solid var(--ui-border);
    }
    button.sort {
      border: none;
      background: none;
      padding: 0;
      font-weight: 600;
      color: inherit;
    }
    .arrow {
      margin-left: 0.25em;
      font-size: 0.8em;
    }
    th.who {
      font-weight: normal;
    }
    .email {
      display: block;
      font-weight: 600;
      word-break: break-all;
    }
    .name,
    .reason {
      display: block;
      color: var(--ui-muted);
      font-size: 0.9em;
    }
    .tenant code {
      display: block;
      font-size: 0.85em;
      color: var(--ui-muted);
    }
    .row-actions {
      white-space: nowrap;
    }
    .row-actions button + button {
      margin-left: 0.35rem;
    }
    .empty {
      text-align: center;
      color: var(--ui-muted);
      padding: 1.5rem;
    }
    .pager {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      justify-content: flex-end;
      margin-top: 0.6rem;
    }
    .range {
      margin-right: auto;
      font-variant-numeric: tabular-nums;
    }
  `];var Mr={createdAt:"CREATED_AT",updatedAt:"UPDATED_AT",email:"EMAIL",status:"STATUS"};function Ot(r,e){return{limit:r.pageSize,...e!==void 0?{cursor:e}:{},...jt(r,r.tab),order:{sort:Mr[r.sort],order:r.order==="asc"?"ASC":"DESC"}}}function Ht(r,e){return{limit:1,...jt(r,e)}}function jt(r,e){let t={};e!=="all"&&(t.status={equalTo:e}),r.tenantId&&(t.tenantId={equalTo:r.tenantId});let s=r.search.trim();return{filter:t,...s!==""?{search:s}:{}}}function zt(r,e){return r.sort===e?{sort:e,order:r.order==="asc"?"desc":"asc"}:{sort:e,order:e==="email"||e==="status"?"asc":"desc"}}var A=["all","pending","accepted","canceled","expired"],qt=100;var Be=new Set(["failed","bounced","complained"]);function be(r){return r==="pending"||r==="expired"}function Bt(r,e){if(r.length===0){let t=e.superAdmin?9:8;return c`<tr>
      <td colspan=${t} class="empty">${e.loading?"Loading…":"No invites to show."}</td>
    </tr>`}return r.map(t=>Dr(t,e))}function Dr(r,e){let t=Pt(r.firstName,r.lastName),s=be(r.status),n=e.busy.has(r.id),i=Be.has(r.emailStatus)&&s,o=s?"":` (not possible: the invitation is ${r.status})`;return c`<tr data-invite-id=${r.id}>
    <th scope="row" class="who">
      <span class="email">${r.email}</span>
      ${t?c`<span class="name">${t}</span>`:h}
    </th>
    ${e.superAdmin?c`<td class="tenant">
          ${r.tenantName?c`<span>${r.tenantName}</span>`:h}
          <code title=${r.tenantId}>${r.tenantId.slice(0,8)}</code>
        </td>`:h}
    <td>${r.roles.length?r.roles.join(", "):c`<span class="muted">none</span>`}</td>
    <td><span class="badge ${r.status}">${pe(r.status)}</span></td>
    <td>
      <span class="badge ${Be.has(r.emailStatus)?"problem":""}">${Mt(r.emailStatus)}</span>
      ${r.emailStatusReason?c`<span class="reason">${r.emailStatusReason}</span>`:h}
      ${i?c`<span class="reason">Resend to try again.</span>`:h}
    </td>
    <td>${z(r.createdAt)}</td>
    <td>${z(r.updatedAt)}</td>
    <td>${r.status==="pending"||r.status==="expired"?z(r.expiresAt):c`<span class="muted">—</span>`}</td>
    <td class="row-actions">
      <button
        type="button"
        class=${i?"primary":""}
        aria-label=${`Resend invitation to ${r.email}${o}`}
        ?disabled=${!s||n}
        @click=${a=>e.act(r,"resend",a.currentTarget)}
      >
        Resend
      </button>
      <button
        type="button"
        class="danger"
        aria-label=${`Cancel invitation to ${r.email}${o}`}
        ?disabled=${!s||n}
        @click=${a=>e.act(r,"cancel",a.currentTarget)}
      >
        Cancel
      </button>
    </td>
  </tr>`}function G(r,e,t,s){let n=t.sort===e,i=n?t.order==="asc"?"ascending":"descending":"none";return c`<th scope="col" aria-sort=${i}>
    <button type="button" class="sort" @click=${()=>s(e)}>
      ${r}<span aria-hidden="true" class="arrow">${n?t.order==="asc"?"▲":"▼":"↕"}</span>
    </button>
  </th>`}var Vt=300,ye=class extends v{static{this.properties={baseUrl:{attribute:"base-url"},token:{attribute:!1},tenantId:{attribute:"tenant-id"},superAdmin:{attribute:"super-admin",type:Boolean},pageSize:{attribute:"page-size",type:Number},roles:{converter:{fromAttribute:e=>(e??"").split(/[\s,]+/).filter(Boolean)}},locale:{},tab:{state:!0},sort:{state:!0},order:{state:!0},search:{state:!0},rows:{state:!0},counts:{state:!0},total:{state:!0},exact:{state:!0},cursors:{state:!0},nextCursor:{state:!0},loading:{state:!0},error:{state:!0},actionError:{state:!0},notice:{state:!0},busy:{state:!0}}}static{this.styles=Lt}#e;#r;#t;#s;constructor(){super(),this.baseUrl="",this.token=void 0,this.tenantId="",this.superAdmin=!1,this.pageSize=20,this.roles=[],this.locale="en-US",this.tab="all",this.sort="createdAt",this.order="desc",this.search="",this.rows=[],this.counts={},this.total=0,this.exact=!0,this.cursors=[void 0],this.nextCursor=null,this.loading=!1,this.error="",this.actionError="",this.notice="",this.busy=new Set}refresh(){return this.token?Promise.all([this.#i(),this.#o()]).then(()=>{}):(this.rows=[],this.counts={},this.nextCursor=null,this.error="Sign in to see invites: the table has no token.",Promise.resolve())}get#n(){let e=Number.isInteger(this.pageSize)&&this.pageSize>=1&&this.pageSize<=100?this.pageSize:20;return{tab:this.tab,search:this.search,sort:this.sort,order:this.order,pageSize:e,tenantId:this.tenantId||void 0}}get#a(){return this.cursors.length-1}willUpdate(e){(e.has("baseUrl")||e.has("token"))&&(this.#e=ue(this.baseUrl,this.token))}updated(e){["baseUrl","token","tenantId","superAdmin","pageSize"].some(s=>e.has(s))&&(this.cursors=[void 0],this.refresh())}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#s),this.#r?.abort(),this.#t?.abort()}async#i(){if(!this.#e)return;this.#r?.abort();let e=new AbortController;this.#r=e,this.loading=!0;try{let t=await this.#e.userInvites(Ot(this.#n,this.cursors.at(-1)),{signal:e.signal});this.rows=t.data,this.total=t.totalCount,this.exact=t.totalCountExact??!0,this.nextCursor=t.nextCursor??null,this.error=""}catch(t){if(Ut(t)||e.signal.aborted)return;this.rows=[],this.nextCursor=null,this.error=`Could not list invites. ${U(t)}`}finally{this.#r===e&&(this.loading=!1)}}async#o(){if(!this.#e)return;this.#t?.abort();let e=new AbortController;this.#t=e;let t=this.#n,s=this.#e,n=await Promise.allSettled(A.map(o=>s.userInvites(Ht(t,o),{signal:e.signal})));if(e.signal.aborted)return;let i={};n.forEach((o,a)=>{o.status==="fulfilled"&&(i[A[a]]={n:o.value.totalCount,exact:o.value.totalCountExact??!0})}),this.counts=i}#c(e,t=!1){e!==this.tab&&(this.tab=e,this.cursors=[void 0],this.#i()),t&&this.updateComplete.then(()=>this.renderRoot.querySelector(`#tab-${e}`)?.focus())}#u(e){let t=A.indexOf(this.tab),s=e.key==="ArrowRight"?(t+1)%A.length:e.key==="ArrowLeft"?(t-1+A.length)%A.length:e.key==="Home"?0:e.key==="End"?A.length-1:-1;s<0||(e.preventDefault(),this.#c(A[s],!0))}#h(e){let t=e.target.value;clearTimeout(this.#s),this.#s=setTimeout(()=>{t.trim()!==this.search.trim()&&(this.search=t,this.cursors=[void 0],this.refresh())},Vt)}#l(e){Object.assign(this,zt(this,e)),this.cursors=[void 0],this.#i()}#p(){this.nextCursor&&(this.cursors=[...this.cursors,this.nextCursor],this.#i())}#f(){this.cursors.length<=1||(this.cursors=this.cursors.slice(0,-1),this.#i())}async#m(e){await this.renderRoot.querySelector("user-invites-send-dialog").open(e.currentTarget)}#g(e){e.stopPropagation(),this.dispatchEvent(new CustomEvent("user-invites-sent",{detail:e.detail,bubbles:!0,composed:!0})),this.cursors=[void 0],this.refresh()}async#b(e,t,s){if(!(!this.#e||!be(e.status))&&!(t==="cancel"&&!await this.renderRoot.querySelector("user-invites-confirm-dialog").ask({title:"Cancel this invitation?",message:`The invitation to ${e.email} will be canceled and its link will stop working. You can invite them again later.`,confirm:"Cancel invitation",dismiss:"Keep invitation"},s))){this.busy=new Set([...this.busy,e.id]),this.actionError="",this.notice="";try{let n=t==="resend"?await this.#e.resendUserInvite(e.id):await this.#e.cancelUserInvite(e.id);this.notice=t==="resend"?`Invitation to ${e.email} sent again.`:`Invitation to ${e.email} canceled.`,this.dispatchEvent(new CustomEvent(t==="resend"?"user-invite-resent":"user-invite-canceled",{detail:n,bubbles:!0,composed:!0}))}catch(n){this.actionError=`Could not ${t} the invitation to ${e.email}. ${U(n)}`}finally{let n=new Set(this.busy);n.delete(e.id),this.busy=n}await this.refresh()}}#d(e){return e==="all"?"All":pe(e)}render(){let e=this.#n,t=this.#a*e.pageSize,s=this.superAdmin&&!this.tenantId;return c`
      <div class="toolbar">
        <div class="search">
          <label for="search">Search</label>
          <input
            id="search"
            type="search"
            maxlength=${qt}
            autocomplete="off"
            spellcheck="false"
            placeholder="Name or email"
            aria-describedby="search-hint"
            @input=${this.#h}
          />
          <span id="search-hint" class="visually-hidden">Finds invites whose email or name has a word starting with what you type.</span>
        </div>
        <button type="button" class="primary" @click=${this.#m}>Invite people</button>
        <button type="button" @click=${()=>{this.refresh()}}>Refresh</button>
      </div>
      <div role="tablist" aria-label="Invites by status" @keydown=${this.#u}>
        ${A.map(n=>{let i=this.counts[n],o=n===this.tab;return c`<button
            id=${`tab-${n}`}
            role="tab"
            type="button"
            aria-selected=${o?"true":"false"}
            aria-controls="panel"
            tabindex=${o?0:-1}
            @click=${()=>this.#c(n)}
          >
            ${this.#d(n)} <span class="count">${i?J(i.n,i.exact):"…"}</span>
          </button>`})}
      </div>
      <div id="panel" role="tabpanel" aria-labelledby=${`tab-${this.tab}`}>
        <p class="notice" role="status">${this.notice}</p>
        <div class="error" role="alert">${[this.actionError,this.error].filter(Boolean).join(" ")}</div>
        <div class="scroll">
          <table aria-busy=${this.loading?"true":"false"}>
            <caption class="visually-hidden">
              ${this.#d(this.tab)} invites${this.search.trim()?`, matching “${this.search.trim()}”`:""}
            </caption>
            <thead>
              <tr>
                ${G("Email","email",this,n=>this.#l(n))}
                ${this.superAdmin?c`<th scope="col">Tenant</th>`:h}
                <th scope="col">Roles</th>
                ${G("Status","status",this,n=>this.#l(n))}
                <th scope="col">Email status</th>
                ${G("Created","createdAt",this,n=>this.#l(n))}
                ${G("Updated","updatedAt",this,n=>this.#l(n))}
                <th scope="col">Expires</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              ${Bt(this.rows,{superAdmin:this.superAdmin,busy:this.busy,loading:this.loading,act:(n,i,o)=>{this.#b(n,i,o)}})}
            </tbody>
          </table>
        </div>
        <div class="pager">
          <span class="range" aria-live="polite">${this.loading&&this.rows.length===0?"Loading…":ze(t,this.rows.length,this.total,this.exact)}</span>
          <button type="button" ?disabled=${this.cursors.length<=1} @click=${this.#f}>Previous</button>
          <button type="button" ?disabled=${!this.nextCursor} @click=${this.#p}>Next</button>
        </div>
      </div>
      <user-invites-send-dialog
        .client=${this.#e}
        .tenantId=${this.tenantId||void 0}
        .askTenant=${s}
        .roleChoices=${this.roles}
        .locale=${this.locale||"en-US"}
        @user-invites-sent=${this.#g}
      ></user-invites-send-dialog>
      <user-invites-confirm-dialog></user-invites-confirm-dialog>
    `}};var Lr=[["user-invites-table",ye],["user-invite-accept",fe],["user-invites-send-dialog",ge],["user-invites-confirm-dialog",ae]];for(let[r,e]of Lr)customElements.get(r)||customElements.define(r,e);async function Ft(r){let e=await fetch("/dev/token",{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({as:r})});if(e.status===404)return null;if(!e.ok)throw new Error(`POST /dev/token answered ${e.status}`);return await e.json()}var Ve="user-invites:user-token",ve={get(){return localStorage.getItem(Ve)},set(r){localStorage.setItem(Ve,r)},clear(){localStorage.removeItem(Ve)}};function Kt(r){let e=r.trim().split(".")[1];if(!e)return null;try{let t=e.replace(/-/g,"+").replace(/_/g,"/").padEnd(Math.ceil(e.length/4)*4,"="),s=Uint8Array.from(atob(t),i=>i.charCodeAt(0)),n=JSON.parse(new TextDecoder().decode(s));return typeof n=="object"&&n!==null?n:null}catch{return null}}function $e(r,e){r&&(r.textContent=e)}function we(r){let e=document.getElementById(r);if(!e)throw new Error(`the page has no #${r}`);return e}var Fe=document.querySelector("user-invite-accept"),Wt=we("who"),Qt=we("sign-in-new-user"),Or=we("outcome");function Yt(){let r=ve.get(),e=r?Kt(r)?.sub:void 0;$e(Wt,e?`Signed in as user ${e}.`:"Not signed in.")}Fe.userToken=()=>ve.get();Qt.addEventListener("click",async()=>{let r=await Ft("new-user");if(!r){$e(Wt,"This server does not use the development secret: there is no development sign-in here.");return}ve.set(r.token),Yt()});Fe.addEventListener("sign-in-required",r=>{r.preventDefault(),Qt.focus()});Fe.addEventListener("accepted",r=>{let{invite:e}=r.detail;$e(Or,`Accepted as user ${e.acceptedByUserId??"?"}. Your app would now take the user in.`)});Yt();
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/
