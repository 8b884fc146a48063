(function(){var c=document.getElementById("chat");if(!c||!window.fetch)return;c.hidden=false;
var t=c.querySelector(".chat-toggle"),p=document.getElementById("chat-panel"),f=c.querySelector("form"),i=f.querySelector("input"),l=c.querySelector(".chat-log");
var v;try{v=localStorage.getItem("sp_visitor")}catch(e){}
if(!v){v="v"+Math.random().toString(36).slice(2)+Date.now().toString(36);try{localStorage.setItem("sp_visitor",v)}catch(e){}}
function say(x,me){var n=document.createElement("p");n.textContent=x;if(me)n.className="me";l.appendChild(n);l.scrollTop=l.scrollHeight}
t.onclick=function(){p.hidden=!p.hidden;t.setAttribute("aria-expanded",String(!p.hidden));if(!p.hidden)i.focus()};
f.onsubmit=function(e){e.preventDefault();var m=i.value.trim();if(!m)return;say(m,1);i.value="";
fetch("/api/agent/messages",{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({tenant_id:c.dataset.tenant,visitor_id:v,message:m})})
.then(function(r){return r.json()}).then(function(d){say(d.reply||(d.error&&d.error.message)||"Sorry, please call or book online.")})
.catch(function(){say("Sorry, the chat is unavailable. Please call or book online.")})}})();